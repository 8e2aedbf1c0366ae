// The organization's audit trail, for its owners and admins: every change made in it (members,
// roles, invitations, limits, shared connections, servers and tools), newest first, 50 a page.
// Only its own events: never another organization's nor the platform's. Others get the 404 page.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageLink } from "@/components/history/pending";
import { EmptyState } from "@/components/kit/card";
import { BackLink, PageHeader } from "@/components/kit/page-header";
import { requireWorkspace } from "@/lib/orgs/current-workspace";
import { listOrgAuditEvents } from "@/lib/orgs/org-audit";
import { workspaceCan } from "@/lib/orgs/workspace";
import { OrgAuditTable } from "./org-audit-table";

export const metadata: Metadata = { title: "Audit trail · Organization" };
export const dynamic = "force-dynamic";

export default async function OrgAuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { workspace } = await requireWorkspace();
  if (workspace.kind !== "org" || !workspaceCan(workspace, "see_audit")) notFound();
  const { cursor: cursorParam } = await searchParams;
  const cursor = typeof cursorParam === "string" && cursorParam ? cursorParam.slice(0, 200) : undefined;
  const page = await listOrgAuditEvents(workspace, { cursor });
  return (
    <div className="space-y-6">
      <div>
        <p className="mb-2 text-sm">
          <BackLink href="/org">{workspace.orgName}</BackLink>
        </p>
        <PageHeader
          title="Audit trail"
          description={`Every change made in ${workspace.orgName}: members, roles, invitations, limits, shared connections, servers and tools. Secrets are never recorded.`}
        />
      </div>
      <section aria-labelledby="org-events-heading" className="space-y-4">
        <h2 id="org-events-heading" className="text-lg font-semibold">
          Events
        </h2>
        {page.events.length === 0 ? (
          <EmptyState title={cursor ? "No older events" : "Nothing recorded yet"}>
            Changes in this organization show up here as they happen.
          </EmptyState>
        ) : (
          <OrgAuditTable events={page.events} now={new Date()} />
        )}
        {(page.nextCursor || cursor) && (
          <nav aria-label="Pages of events" className="flex flex-wrap justify-between gap-2">
            {cursor ? <PageLink href="/org/audit">Newest events</PageLink> : <span />}
            {page.nextCursor && (
              <PageLink href={`/org/audit?cursor=${encodeURIComponent(page.nextCursor)}`}>
                Older events
              </PageLink>
            )}
          </nav>
        )}
      </section>
    </div>
  );
}
