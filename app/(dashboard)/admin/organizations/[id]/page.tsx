// One organization for administrators: its plan and limits (with the form that changes them), its
// calls this month and its members.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { formatDate } from "@/components/format-date";
import { Card } from "@/components/kit/card";
import { BackLink, PageHeader } from "@/components/kit/page-header";
import { getOrganizationForAdmin } from "@/lib/admin/organizations";
import { listPlanChoices } from "@/lib/admin/user-admin";
import { requireAdmin } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors/app-error";
import { roleWords } from "@/lib/orgs/roles";
import { formatCount } from "../../format";
import { OrgPlanForm } from "./org-plan-form";

export const metadata: Metadata = { title: "Organization · Admin" };
export const dynamic = "force-dynamic";

async function loadOrg(id: string) {
  try {
    return await getOrganizationForAdmin(id.slice(0, 100));
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  }
}

export default async function AdminOrganizationPage({ params }: { params: Promise<{ id: string }> }) {
  await requireAdmin();
  const [org, plans] = await Promise.all([loadOrg((await params).id), listPlanChoices()]);
  return (
    <div className="space-y-6">
      <div>
        <p className="mb-2 text-sm">
          <BackLink href="/admin/organizations">All organizations</BackLink>
        </p>
        <PageHeader
          title={org.name}
          description={
            <>
              Created {formatDate(org.createdAt)} · {formatCount(org.memberCount)} members ·{" "}
              {formatCount(org.callsThisMonth)} calls this month · Plan:{" "}
              {org.plan?.name ?? `the default plan (${org.effectivePlanName})`}
            </>
          }
        />
      </div>
      <Card>
        <h2 className="mb-3 text-lg font-semibold">Plan and limits</h2>
        <OrgPlanForm
          orgId={org.id}
          plans={plans}
          planId={org.planId}
          planLimits={org.planLimits}
          overrides={org.overrides}
        />
      </Card>
      <section aria-labelledby="admin-org-members" className="space-y-3">
        <h2 id="admin-org-members" className="text-lg font-semibold">
          Members
        </h2>
        <ul className="divide-y divide-zinc-200 rounded-xl border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900">
          {org.memberships.map((membership) => (
            <li
              key={membership.user.id}
              className="flex flex-wrap items-center justify-between gap-2 p-3 text-sm"
            >
              <span className="min-w-0 break-all">
                {membership.user.name ? `${membership.user.name} · ` : ""}
                {membership.user.email}
              </span>
              <span className="text-zinc-600 dark:text-zinc-400">
                {roleWords[membership.role]} since {formatDate(membership.createdAt)}
              </span>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
