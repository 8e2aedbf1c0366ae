import type { Metadata } from "next";
import type { ReactNode } from "react";
import { ButtonLink } from "@/components/kit/button";
import { Card, EmptyState } from "@/components/kit/card";
import { BackLink, PageHeader } from "@/components/kit/page-header";
import { getAppUrl } from "@/env";
import { loadServedActions } from "@/lib/apps/app-registry";
import { listConnections } from "@/lib/connections/manage-connections";
import { listIntegrationCatalog } from "@/lib/integrations/catalog";
import { workspaceCan } from "@/lib/orgs/workspace";
import { listTools } from "@/lib/tools/manage-tools";
import { ConnectedAppsSection } from "./connected-apps-section";
import { DeleteServerButton } from "./delete-server-button";
import { loadServer } from "./load-server";
import { MemberUrlSection } from "./member-url-section";
import { NewUrlProvider } from "./new-url-context";
import { RenameServerForm } from "./rename-server-form";
import { ServerSetupSection } from "./server-setup-section";
import { ServerUrlSection } from "./server-url-section";
import { ToolList } from "./tool-list";
import { WritesAdminOnlyForm } from "./writes-admin-only-form";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { server } = await loadServer((await params).id);
  return { title: server.name };
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="space-y-3">
      <h2 id={id} className="text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium" });

export default async function ServerPage({ params }: Props) {
  const { workspace, server } = await loadServer((await params).id);
  const [tools, connections, catalog] = await Promise.all([
    listTools(workspace, server.id),
    listConnections(workspace),
    listIntegrationCatalog(workspace),
  ]);
  const addedApps = await loadServedActions(
    tools.map((tool) => tool.integration),
    workspace,
  );
  const notSetUpApps = new Set(catalog.filter((app) => app.auth.configured === false).map((app) => app.slug));
  const appUrl = getAppUrl();
  const addHref = `/servers/${server.id}/tools/new`;
  // An organization's members and viewers use its servers; only owners and admins change them.
  const canChange = workspaceCan(workspace, "manage_shared");
  return (
    <div className="mx-auto max-w-3xl space-y-10">
      <div>
        <p className="mb-2 text-sm">
          <BackLink href="/servers">All servers</BackLink>
        </p>
        <PageHeader
          title={server.name}
          description={
            <>
              Created{" "}
              <time dateTime={server.createdAt.toISOString()}>{dateFormat.format(server.createdAt)}</time>
              {server.rotatedAt && (
                <>
                  {" · URL replaced "}
                  <time dateTime={server.rotatedAt.toISOString()}>{dateFormat.format(server.rotatedAt)}</time>
                </>
              )}
            </>
          }
          actions={canChange && <ButtonLink href={addHref}>Add a tool</ButtonLink>}
        />
      </div>

      <NewUrlProvider>
        <Section id="url" title="Your MCP URL">
          <Card>
            <ServerUrlSection serverId={server.id} maskedUrl={`${appUrl}/mcp/••••`} />
          </Card>
        </Section>
        <MemberUrlSection serverId={server.id} />

        <Section id="tools" title="Tools">
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            Each tool is one action your AI may take. You decide which fields the AI fills, which are fixed
            and which are left out.
          </p>
          {tools.length === 0 ? (
            <EmptyState
              title="No tools yet"
              action={canChange && <ButtonLink href={addHref}>Add a tool</ButtonLink>}
            >
              <p>
                Add a tool: pick an app&apos;s action, like “Create a task in Todoist” or “Format text”, and
                your AI app can use it through this server.
              </p>
            </EmptyState>
          ) : (
            <ToolList
              addedApps={addedApps}
              serverId={server.id}
              tools={tools}
              connections={connections}
              notSetUpApps={notSetUpApps}
              canChange={canChange}
            />
          )}
        </Section>

        <Section id="setup" title="Set up your AI app">
          <Card>
            <ServerSetupSection appUrl={appUrl} serverName={server.name} />
          </Card>
        </Section>
      </NewUrlProvider>

      <ConnectedAppsSection workspace={workspace} serverId={server.id} />

      {canChange && (
        <Section id="settings" title="Server settings">
          <Card className="space-y-6">
            <div className="space-y-2">
              <h3 className="font-semibold">Rename</h3>
              <RenameServerForm serverId={server.id} name={server.name} />
            </div>
            {server.orgId && (
              <div className="space-y-2 border-t border-zinc-200 pt-6 dark:border-zinc-800">
                <h3 className="font-semibold">Tools that change data</h3>
                <WritesAdminOnlyForm serverId={server.id} writesAdminOnly={server.writesAdminOnly} />
              </div>
            )}
            <div className="space-y-2 border-t border-zinc-200 pt-6 dark:border-zinc-800">
              <h3 className="font-semibold">Delete this server</h3>
              <p className="text-sm text-zinc-600 dark:text-zinc-400">
                Its URL stops working and its tools are removed. This cannot be undone.
              </p>
              <DeleteServerButton serverId={server.id} name={server.name} />
            </div>
          </Card>
        </Section>
      )}
    </div>
  );
}
