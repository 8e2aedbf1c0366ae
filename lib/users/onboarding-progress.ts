// How far a person is through their first hour, read from their own data: a server, a tool on it,
// an account for every tool whose app needs one, and a first call in the ledger. The home page
// turns this into its checklist; nothing here is stored.
import type { IntegrationDefinition } from "@/integrations/sdk/define";
import { findApp } from "@/lib/apps/app-registry";
import { getDb } from "@/lib/db/client";
import type { CallStatus } from "@/lib/db/generated/client.ts";

export type OnboardingStepKey = "server" | "tool" | "account" | "call";

/** A tool whose app needs an account and that has none to use. */
export type ToolWithoutAccount = {
  toolId: string;
  toolName: string;
  serverId: string;
  integration: string;
  appName: string;
};

export type OnboardingProgress = {
  /** Their first server, where a tool is added. */
  server: { id: string; name: string } | null;
  /** Their first tool, and the server a first call is set up from (the first one with a tool). */
  tool: { id: string; name: string; serverId: string; serverName: string } | null;
  /** How many of their tools use an app that needs an account, and those without one. */
  accounts: { needed: number; missing: ToolWithoutAccount[] };
  /** Their first call in the ledger, whatever its outcome. */
  firstCall: { toolName: string; startedAt: Date; status: CallStatus } | null;
};

export async function getOnboardingProgress(userId: string): Promise<OnboardingProgress> {
  const db = getDb();
  const [servers, connections, firstCall] = await Promise.all([
    db.mcpServer.findMany({
      where: { userId },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: {
        id: true,
        name: true,
        tools: {
          orderBy: [{ createdAt: "asc" }, { id: "asc" }],
          select: { id: true, name: true, integration: true, connectionId: true },
        },
      },
    }),
    db.connection.findMany({ where: { userId }, distinct: ["integration"], select: { integration: true } }),
    db.call.findFirst({
      where: { userId },
      orderBy: [{ startedAt: "asc" }, { id: "asc" }],
      select: { toolName: true, startedAt: true, status: true },
    }),
  ]);
  const connectedApps = new Set(connections.map((connection) => connection.integration));
  const tools = servers.flatMap((server) => server.tools.map((tool) => ({ ...tool, server })));
  // A tool without a chosen account uses the person's first one for its app (lib/connections).
  const apps = new Map<string, IntegrationDefinition | undefined>();
  for (const slug of new Set(tools.map((tool) => tool.integration)))
    apps.set(slug, await findApp(slug, { owner: { userId, orgId: null } }));
  const needing = tools.flatMap((tool) => {
    const app = apps.get(tool.integration);
    return app && app.auth.type !== "none" ? [{ tool, appName: app.name }] : [];
  });
  const missing = needing
    .filter(({ tool }) => tool.connectionId === null && !connectedApps.has(tool.integration))
    .map(({ tool, appName }) => ({
      toolId: tool.id,
      toolName: tool.name,
      serverId: tool.server.id,
      integration: tool.integration,
      appName,
    }));
  const firstServer = servers[0];
  const firstTool = tools[0];
  return {
    server: firstServer ? { id: firstServer.id, name: firstServer.name } : null,
    tool: firstTool
      ? {
          id: firstTool.id,
          name: firstTool.name,
          serverId: firstTool.server.id,
          serverName: firstTool.server.name,
        }
      : null,
    accounts: { needed: needing.length, missing },
    firstCall,
  };
}

/** The step to do next, in order; null once every step is done (or not needed). */
export function nextOnboardingStep(progress: OnboardingProgress): OnboardingStepKey | null {
  if (!progress.server) return "server";
  if (!progress.tool) return "tool";
  if (progress.accounts.missing.length > 0) return "account";
  if (!progress.firstCall) return "call";
  return null;
}
