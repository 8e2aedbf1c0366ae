// Adding a tool: step 1 picks an app from the grid (or an action by searching, ?q=), step 2
// (?app=<slug>) an action of that app, step 3 (?app=<slug>&action=<key>) configures it.
import type { Metadata } from "next";
import { AppLogo } from "@/components/app-logo";
import { ButtonLink } from "@/components/kit/button";
import { Notice } from "@/components/kit/notice";
import { BackLink, PageHeader } from "@/components/kit/page-header";
import { findAppAction } from "@/lib/apps/app-registry";
import { callWaitMs } from "@/lib/calls/call-timeouts";
import { listConnections } from "@/lib/connections/manage-connections";
import { listIntegrationCatalog } from "@/lib/integrations/catalog";
import { listTools } from "@/lib/tools/manage-tools";
import { deriveToolName, makeUniqueToolName } from "@/lib/tools/tool-name";
import { loadServer } from "../../load-server";
import { ToolForm } from "../_tool-form/tool-form";
import { toolFormApp } from "../_tool-form/tool-form-app";
import { ActionPicker, AppActions, type PickerApp } from "./action-picker";

export const metadata: Metadata = { title: "Add a tool" };

type SearchParams = Record<string, string | string[] | undefined>;
const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? "";

export default async function NewToolPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<SearchParams>;
}) {
  const { id } = await params;
  const query = await searchParams;
  const { user, workspace, server } = await loadServer(id);
  const catalog = await listIntegrationCatalog(workspace);
  const viewerIsAdmin = user.role === "ADMIN";
  const connections = await listConnections(workspace);
  const back = <BackLink href={`/servers/${server.id}`}>{server.name}</BackLink>;

  const appSlug = single(query.app);
  const actionKey = single(query.action);
  const app = catalog.find((entry) => entry.slug === appSlug);
  const action = app?.actions.find((entry) => entry.key === actionKey);

  const definition =
    app && action ? await findAppAction(app.slug, action.key, { owner: workspace }) : undefined;
  if (app && action && definition) {
    const taken = new Set((await listTools(workspace, server.id)).map((tool) => tool.name));
    return (
      <div>
        {back}
        <PageHeader
          title={`Add "${action.title}"`}
          description={
            <span className="inline-flex items-center gap-2">
              <AppLogo slug={app.slug} name={app.name} size={20} />
              {app.name}: {action.description}
            </span>
          }
          actions={
            <ButtonLink href={`/servers/${server.id}/tools/new`} variant="secondary" size="sm">
              Choose another action
            </ButtonLink>
          }
        />
        <ToolForm
          serverId={server.id}
          app={toolFormApp(app, viewerIsAdmin)}
          action={action}
          connections={connections
            .filter((connection) => connection.integration === app.slug)
            .map(({ id, label, status }) => ({ id, label, status }))}
          initial={{
            connectionId: null,
            name: makeUniqueToolName(deriveToolName(app.slug, action.key), taken),
            description: null,
            fields: {},
          }}
          waitSeconds={Math.round(callWaitMs(definition.action) / 1000)}
        />
      </div>
    );
  }

  const connected = new Set(connections.map((connection) => connection.integration));
  const apps: PickerApp[] = catalog.map((entry) => ({
    slug: entry.slug,
    name: entry.name,
    description: entry.description,
    needsAccount: entry.auth.type !== "none",
    connected: connected.has(entry.slug),
    notSetUp: entry.auth.configured === false,
    actions: entry.actions.map(({ key, title, description }) => ({ key, title, description })),
  }));
  const basePath = `/servers/${server.id}/tools/new`;
  const chosenApp = !actionKey ? apps.find((entry) => entry.slug === appSlug) : undefined;
  if (chosenApp)
    return (
      <div>
        {back}
        <PageHeader
          title={`Add a tool: ${chosenApp.name}`}
          description={`Pick what the AI may do in ${chosenApp.name} through "${server.name}". You choose its settings next.`}
          actions={
            <ButtonLink href={basePath} variant="secondary" size="sm">
              Choose another app
            </ButtonLink>
          }
        />
        <AppActions app={chosenApp} basePath={basePath} viewerIsAdmin={viewerIsAdmin} />
      </div>
    );
  return (
    <div>
      {back}
      <PageHeader
        title="Add a tool"
        description={`Pick what the AI may do through "${server.name}". You choose its settings next.`}
      />
      {(appSlug || actionKey) && (
        <div className="mb-4">
          <Notice tone="warning">That action is not offered any more. Pick one below.</Notice>
        </div>
      )}
      <ActionPicker
        serverId={server.id}
        apps={apps}
        initialQuery={single(query.q)}
        viewerIsAdmin={viewerIsAdmin}
      />
    </div>
  );
}
