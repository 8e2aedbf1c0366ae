// An organization's usage: its meters against its plan, the signed-in member's own share of it,
// and for owners and admins the calls this month per member.
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { EmptyState } from "@/components/kit/card";
import { PageHeader } from "@/components/kit/page-header";
import { UsageMeters } from "@/components/usage-meters";
import { requireWorkspace } from "@/lib/orgs/current-workspace";
import { workspaceCan } from "@/lib/orgs/workspace";
import { countOrgCallsByMember, getOrgUsage, type Usage } from "@/lib/quota/usage";
import { byWindow } from "@/lib/quota/windows";

export const metadata: Metadata = { title: "Organization usage" };
export const dynamic = "force-dynamic";

export default async function OrgUsagePage() {
  const { workspace } = await requireWorkspace();
  // A personal workspace has its usage on the home and history pages.
  if (workspace.kind !== "org") redirect("/history");
  const seesEveryone = workspaceCan(workspace, "see_all_calls");
  const [usage, perMember] = await Promise.all([
    getOrgUsage(workspace.orgId, workspace.userId),
    seesEveryone ? countOrgCallsByMember(workspace.orgId) : null,
  ]);
  const { member, ...orgUsage } = usage;
  // A window without a limit of the member's own is bounded by the organization's alone.
  const ownUsage: Usage | null = member
    ? byWindow((name) => ({ ...member[name], limit: member[name].limit ?? orgUsage[name].limit }))
    : null;
  const ownLimitsSet = member ? Object.values(member).some((window) => window.limit !== null) : false;

  return (
    <div className="space-y-8">
      <PageHeader
        title={`${workspace.orgName}: usage`}
        description="Calls on the organization's servers count toward its plan, and toward each member's own limits inside it. Personal calls count only toward your personal plan."
      />
      <UsageMeters usage={orgUsage} title="The organization" idPrefix="org-usage" />
      {ownUsage && (
        <UsageMeters usage={ownUsage} title="Your calls in the organization" idPrefix="member-usage">
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            {ownLimitsSet
              ? "Against your own limits here; where you have none, against the organization's."
              : "You have no limits of your own here: only the organization's apply."}
          </p>
        </UsageMeters>
      )}
      {perMember && (
        <section aria-labelledby="per-member-heading" className="space-y-3">
          <h2 id="per-member-heading" className="text-lg font-semibold">
            Calls this month by member
          </h2>
          {perMember.length === 0 ? (
            <EmptyState title="No calls this month">
              Calls made through members' URLs of the organization's servers show up here.
            </EmptyState>
          ) : (
            <table className="w-full overflow-hidden rounded-xl border border-zinc-200 bg-white text-sm dark:border-zinc-800 dark:bg-zinc-900">
              <caption className="sr-only">Calls this month by member, most first</caption>
              <thead>
                <tr className="text-left text-xs uppercase tracking-wide text-zinc-500 dark:text-zinc-400">
                  <th scope="col" className="px-3 py-2 font-medium">
                    Member
                  </th>
                  <th scope="col" className="px-3 py-2 text-right font-medium">
                    Calls
                  </th>
                </tr>
              </thead>
              <tbody>
                {perMember.map((row) => (
                  <tr
                    key={row.userId}
                    className="border-t border-zinc-200 dark:border-zinc-800"
                    data-testid="member-calls"
                  >
                    <td className="break-all px-3 py-2">{row.email}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{row.calls.toLocaleString("en")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
    </div>
  );
}
