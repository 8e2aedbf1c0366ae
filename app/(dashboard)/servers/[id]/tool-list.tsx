// The tools of a server as a person reads them: the app, the action, the account it uses and
// how its fields are set. Built from listTools' rows and the integration registry.

import { AppLogo } from "@/components/app-logo";
import { ConnectionStatusBadge } from "@/components/connection-status-badge";
import { Badge } from "@/components/kit/badge";
import { ButtonLink } from "@/components/kit/button";
import { type AppActionsBySlug, findSnapshotAction } from "@/lib/apps/app-registry";
import { type ConnectionStatus, pickDefaultConnection } from "@/lib/connections/status-words";
import type { FieldSettings } from "@/lib/tools/field-settings";
import { RemoveToolButton } from "./remove-tool-button";

type ToolRow = {
  id: string;
  name: string;
  integration: string;
  action: string;
  connectionId: string | null;
  fields: FieldSettings;
};

/** Oldest first, as listConnections gives them: the default account is picked from this order. */
type ConnectionRow = { id: string; integration: string; label: string; status: ConnectionStatus };

export function countFieldModes(shape: Record<string, unknown>, settings: FieldSettings) {
  const counts = { ai: 0, fixed: 0, omit: 0 };
  for (const name of Object.keys(shape)) counts[settings[name]?.mode ?? "ai"] += 1;
  return counts;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

function AccountLine({
  tool,
  appName,
  needsAccount,
  connections,
}: {
  tool: ToolRow;
  appName: string;
  needsAccount: boolean;
  connections: ConnectionRow[];
}) {
  if (!needsAccount) return <span>No account needed</span>;
  // A tool without a chosen account acts with the default one, as its calls do.
  const chosen = tool.connectionId
    ? connections.find((connection) => connection.id === tool.connectionId)
    : pickDefaultConnection(connections.filter((connection) => connection.integration === tool.integration));
  if (!chosen)
    return (
      <span className="inline-flex flex-wrap items-center gap-1">
        <Badge tone="warning">No {appName} account</Badge>
        <span>Connect one on the Connections page.</span>
      </span>
    );
  return (
    <span className="inline-flex flex-wrap items-center gap-1">
      {tool.connectionId ? "Uses" : "Uses your default account:"}{" "}
      <strong className="font-medium">{chosen.label}</strong>
      <ConnectionStatusBadge status={chosen.status} appName={appName} />
    </span>
  );
}

export function ToolList({
  serverId,
  tools,
  connections,
  notSetUpApps,
  addedApps,
  canChange = true,
}: {
  serverId: string;
  tools: ToolRow[];
  /** The served actions of the apps the workspace added that these tools use. */
  addedApps: AppActionsBySlug;
  connections: ConnectionRow[];
  /** Apps whose OAuth client nobody has set up: their tools cannot run. */
  notSetUpApps: ReadonlySet<string>;
  /** False for an organization's members and viewers: they see its tools but cannot remove them. */
  canChange?: boolean;
}) {
  return (
    <ul className="space-y-3">
      {tools.map((tool) => {
        const found = findSnapshotAction(addedApps, tool.integration, tool.action);
        const counts = found ? countFieldModes(found.action.input.shape, tool.fields) : undefined;
        return (
          <li
            key={tool.id}
            data-testid="tool-row"
            className="flex flex-col gap-3 rounded-xl border border-zinc-200 bg-white p-4 sm:flex-row sm:items-start sm:justify-between dark:border-zinc-800 dark:bg-zinc-900"
          >
            <div className="flex min-w-0 gap-3">
              <AppLogo
                slug={tool.integration}
                name={found?.integration.name ?? tool.integration}
                size={32}
                className="mt-0.5"
              />
              <div className="min-w-0 space-y-1">
                <h3 className="font-semibold break-words">
                  {found ? found.action.title : tool.action}
                  <span className="font-normal text-zinc-600 dark:text-zinc-400">
                    {" "}
                    · {found ? found.integration.name : tool.integration}
                  </span>
                </h3>
                <p className="text-xs text-zinc-600 dark:text-zinc-400">
                  Tool name{" "}
                  <code
                    className="rounded bg-zinc-100 px-1 py-0.5 font-mono dark:bg-zinc-800"
                    data-testid="tool-name"
                  >
                    {tool.name}
                  </code>
                </p>
                <p className="text-sm text-zinc-700 dark:text-zinc-300">
                  {found ? (
                    <AccountLine
                      tool={tool}
                      appName={found.integration.name}
                      needsAccount={found.integration.auth.type !== "none"}
                      connections={connections}
                    />
                  ) : (
                    <Badge tone="danger">This action is no longer offered</Badge>
                  )}
                </p>
                {found && notSetUpApps.has(tool.integration) && (
                  <p>
                    <Badge tone="warning">{found.integration.name} is not set up on this platform</Badge>
                  </p>
                )}
                {counts && (
                  <p className="text-sm text-zinc-700 dark:text-zinc-300" data-testid="field-counts">
                    {plural(counts.ai, "field the AI fills", "fields the AI fills")} ·{" "}
                    {plural(counts.fixed, "fixed", "fixed")} · {plural(counts.omit, "left out", "left out")}
                  </p>
                )}
              </div>
            </div>
            <div className="flex shrink-0 flex-wrap items-center gap-2">
              <ButtonLink href={`/servers/${serverId}/tools/${tool.id}`} variant="secondary" size="sm">
                {canChange ? "Edit" : "View"}
                <span className="sr-only"> {tool.name}</span>
              </ButtonLink>
              {canChange && <RemoveToolButton serverId={serverId} toolId={tool.id} toolName={tool.name} />}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
