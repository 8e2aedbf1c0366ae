// One tool of a server: its settings (the same form as when adding it, "Try it" included) and "Remove".
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AppLogo } from "@/components/app-logo";
import { Notice } from "@/components/kit/notice";
import { BackLink, PageHeader } from "@/components/kit/page-header";
import { findAppAction } from "@/lib/apps/app-registry";
import { callWaitMs } from "@/lib/calls/call-timeouts";
import { listConnections } from "@/lib/connections/manage-connections";
import { listIntegrationCatalog } from "@/lib/integrations/catalog";
import { listMembers } from "@/lib/orgs/manage-orgs";
import { workspaceCan } from "@/lib/orgs/workspace";
import { listTools } from "@/lib/tools/manage-tools";
import { loadServer } from "../../load-server";
import { RemoveToolButton } from "../../remove-tool-button";
import { ToolForm } from "../_tool-form/tool-form";
import { toolFormApp } from "../_tool-form/tool-form-app";
import { ToolPermissionsForm } from "./tool-permissions-form";

export const metadata: Metadata = { title: "Tool" };

export default async function ToolPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string; toolId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id, toolId } = await params;
  const { added } = await searchParams;
  const { user, workspace, server } = await loadServer(id);
  const tool = (await listTools(workspace, server.id)).find((candidate) => candidate.id === toolId);
  if (!tool) notFound();
  const app = (await listIntegrationCatalog(workspace)).find((entry) => entry.slug === tool.integration);
  const action = app?.actions.find((entry) => entry.key === tool.action);
  const definition = await findAppAction(tool.integration, tool.action, { owner: workspace });
  const remove = (
    <RemoveToolButton
      serverId={server.id}
      toolId={tool.id}
      toolName={tool.name}
      returnTo={`/servers/${server.id}`}
    />
  );

  return (
    <div>
      <BackLink href={`/servers/${server.id}`}>{server.name}</BackLink>
      <PageHeader
        title={tool.name}
        description={
          <span className="inline-flex flex-wrap items-center gap-2">
            {app && <AppLogo slug={app.slug} name={app.name} size={20} />}
            {app?.name ?? tool.integration}: {action?.title ?? tool.action}
          </span>
        }
        actions={remove}
      />
      {added === "1" && (
        <div className="mb-6">
          <Notice tone="success">
            Tool added to "{server.name}". AI apps connected to the server can use it now. Try it below, or{" "}
            <Link href={`/servers/${server.id}`} className="font-medium underline">
              go back to the server
            </Link>
            .
          </Notice>
        </div>
      )}
      {!app || !action || !definition || !tool.inputSchema ? (
        <Notice tone="warning">
          This tool's action ({tool.integration}/{tool.action}) is no longer offered, so AI apps don't see it.
          Remove it, and add another tool instead.
        </Notice>
      ) : (
        <ToolForm
          serverId={server.id}
          toolId={tool.id}
          app={toolFormApp(app, user.role === "ADMIN")}
          action={action}
          connections={(await listConnections(workspace))
            .filter((connection) => connection.integration === app.slug)
            .map(({ id: connectionId, label, status }) => ({ id: connectionId, label, status }))}
          initial={{
            connectionId: tool.connectionId,
            name: tool.name,
            description: tool.description,
            fields: tool.fields,
          }}
          waitSeconds={Math.round(callWaitMs(definition.action) / 1000)}
        />
      )}
      {workspace.kind === "org" && server.orgId && workspaceCan(workspace, "manage_shared") && (
        <section className="mt-10 border-t border-zinc-200 pt-6 dark:border-zinc-800">
          <ToolPermissionsForm
            serverId={server.id}
            toolId={tool.id}
            members={await listMembers(workspace)}
            allowedRoles={tool.allowedRoles}
            allowedUserIds={tool.allowedUserIds}
          />
        </section>
      )}
    </div>
  );
}
