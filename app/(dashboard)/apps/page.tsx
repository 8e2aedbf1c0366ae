import type { Metadata } from "next";
import { ButtonLink } from "@/components/kit/button";
import { PageHeader } from "@/components/kit/page-header";
import { listApps } from "@/lib/apps/manage-apps";
import { listConnections } from "@/lib/connections/manage-connections";
import { listIntegrationCatalog } from "@/lib/integrations/catalog";
import { requireWorkspace } from "@/lib/orgs/current-workspace";
import { workspaceCan } from "@/lib/orgs/workspace";
import { AddedAppList } from "./added-app-list";
import { AppCatalog } from "./app-catalog";
import { authKindOf } from "./auth-badge";
import { type AppSummary, maxQueryLength } from "./filter-apps";

export const metadata: Metadata = { title: "Apps" };

export default async function AppsPage({
  searchParams,
}: {
  searchParams: Promise<{ q?: string | string[] }>;
}) {
  const { user, workspace } = await requireWorkspace();
  const [{ q }, connections, added] = await Promise.all([
    searchParams,
    listConnections(workspace),
    listApps(workspace),
  ]);
  const connectionCounts = new Map<string, number>();
  for (const connection of connections)
    connectionCounts.set(connection.integration, (connectionCounts.get(connection.integration) ?? 0) + 1);
  const apps: AppSummary[] = (await listIntegrationCatalog()).map((app) => ({
    slug: app.slug,
    name: app.name,
    description: app.description,
    category: app.category,
    actionTitles: app.actions.map((action) => action.title),
    authKind: authKindOf(app.auth),
    connectionCount: connectionCounts.get(app.slug) ?? 0,
  }));
  const query = (typeof q === "string" ? q : "").slice(0, maxQueryLength);
  return (
    <>
      <PageHeader
        title="Apps"
        description="Everything your AI can work with. Open an app to see what it can do, connect your account, then add its actions to a server as tools."
        actions={
          workspaceCan(workspace, "manage_shared") && <ButtonLink href="/apps/new">Add an app</ButtonLink>
        }
      />
      {added.length > 0 && <AddedAppList apps={added} />}
      <AppCatalog apps={apps} initialQuery={query} viewerIsAdmin={user.role === "ADMIN"} />
    </>
  );
}
