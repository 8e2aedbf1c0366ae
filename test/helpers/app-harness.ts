// Runs integration actions the way a tools/call does: a user with a connection and an MCP server,
// one tool per action, and each call through admitCall, which validates, reserves quota,
// records the call and queues it for the real worker process (started here with the app's
// settings, such as its emulator's <APP>_API_URL). Only the MCP transport is left out; the
// transport has tests of its own.
import { randomBytes } from "node:crypto";
import { getEnv, setEnv } from "@/env";
import { findAction, findIntegration } from "@/integrations/registry";
import type { OAuthCredentials } from "@/integrations/sdk/define";
import { admitCall } from "@/lib/calls/admit-call";
import { createConnection } from "@/lib/connections/manage-connections";
import { type ConnectionTestOutcome, testConnection } from "@/lib/connections/test-connection";
import { getDb } from "@/lib/db/client";
import { listFieldOptions } from "@/lib/integrations/field-options";
import { readMcpToolOutput, toCallToolResult } from "@/lib/mcp/call-result";
import { saveOAuthConnection } from "@/lib/oauth/save-connection";
import type { StoredTokens } from "@/lib/oauth/token-endpoint";
import { createServer } from "@/lib/servers/manage-servers";
import { resolveServerBySecret } from "@/lib/servers/snapshot-cache";
import { type AddToolInput, addTool, addToolSchema } from "@/lib/tools/manage-tools";
import { createUser } from "@/lib/users/create-user";
import { setLimitOverrides } from "@/lib/users/set-limit-overrides";
import { secretOfUrl, uniqueEmail } from "./mcp";
import { closeTestConnections } from "./teardown";
import { type RunningWorker, startWorker } from "./worker";

export type ToolOutcome = {
  isError: boolean;
  /** The text content (the JSON of the result, or the error message). */
  text: string;
  /**
   * The parsed result when the call succeeded; for an upstream MCP tool, its structured content,
   * else its text blocks.
   */
  output: unknown;
  structured?: Record<string, unknown>;
};

export type AppHarness = {
  userId: string;
  worker: RunningWorker;
  /** An API-key or basic connection, made as POST /api/v1/connections makes it. */
  connectWithKey: (
    integration: string,
    credentials: Record<string, string>,
    label?: string,
  ) => Promise<string>;
  /** An OAuth connection holding these tokens, as the OAuth callback stores them. */
  connectWithTokens: (
    integration: string,
    tokens: StoredTokens | OAuthCredentials,
    label?: string,
  ) => Promise<string>;
  /** Calls one action as a tool (every field left to the AI unless `tool` says otherwise). */
  call: (
    integration: string,
    action: string,
    args: Record<string, unknown>,
    tool?: Partial<AddToolInput>,
  ) => Promise<ToolOutcome>;
  testConnection: (connectionId: string) => Promise<ConnectionTestOutcome>;
  options: (
    integration: string,
    action: string,
    field: string,
    connectionId?: string,
    values?: Record<string, string>,
  ) => ReturnType<typeof listFieldOptions>;
  stop: () => Promise<void>;
};

let toolCounter = 0;

/** `settings` are the app's settings (its <APP>_API_URL), for the worker and this process alike. */
export async function startAppHarness(appSettings: Record<string, string>): Promise<AppHarness> {
  // A queue of its own: test files run side by side, and another file's worker, started without
  // this app's settings, must not take this file's calls (it would send them to the real API).
  // The prefix extends the run's, so the run's clean-up still removes its keys.
  const settings = {
    ...appSettings,
    REDIS_PREFIX: `${getEnv().REDIS_PREFIX}-${randomBytes(4).toString("hex")}`,
  };
  setEnv(settings);
  const worker = await startWorker(settings);
  const user = await createUser({ email: uniqueEmail("apps"), password: "correct horse battery" });
  await setLimitOverrides(user.id, { hour: 100_000, day: 100_000, month: 100_000 });
  const server = await createServer(user.id, "integration tests");
  const secret = secretOfUrl(server.url);

  return {
    userId: user.id,
    worker,
    connectWithKey: async (integration, credentials, label) =>
      (await createConnection(user.id, { integration, credentials, ...(label && { label }) })).id,
    connectWithTokens: async (slug, tokens, label) => {
      const integration = findIntegration(slug);
      if (!integration) throw new Error(`no integration ${slug}`);
      const stored: StoredTokens = { ...tokens, accessToken: tokens.accessToken };
      return (await saveOAuthConnection(user.id, integration, stored, { ...(label && { label }) })).id;
    },
    call: async (integration, action, args, tool = {}) => {
      const name = `t${++toolCounter}_${action}`.slice(0, 64);
      const added = await addTool(
        user.id,
        server.id,
        addToolSchema.parse({ integration, action, name, ...tool }),
      );
      const snapshot = await resolveServerBySecret(secret);
      const toolSnapshot = snapshot?.tools.find((candidate) => candidate.id === added.id);
      if (!snapshot || !toolSnapshot) throw new Error("the new tool is not in the server's snapshot");
      const outcome = await admitCall(snapshot, toolSnapshot, args, { signal: new AbortController().signal });
      // As the endpoint does: an upstream MCP server's result passes through whole.
      const kind = (await getDb().app.findUnique({ where: { slug: integration }, select: { kind: true } }))
        ?.kind;
      const result = toCallToolResult(outcome, findAction(integration, action)?.action.output !== undefined, {
        fromMcpUpstream: kind === "MCP",
      });
      const text = result.content.map((part) => (part.type === "text" ? part.text : "")).join("\n");
      const upstream = outcome.status === "succeeded" ? readMcpToolOutput(outcome.output) : undefined;
      return {
        isError: result.isError === true,
        text,
        output: result.isError
          ? undefined
          : upstream
            ? (upstream.structuredContent ?? text)
            : JSON.parse(text),
        ...(result.structuredContent && { structured: result.structuredContent }),
      };
    },
    testConnection: (connectionId) => testConnection(user.id, connectionId),
    options: (integration, action, field, connectionId, values) =>
      listFieldOptions(user.id, { integration, action, field, connectionId: connectionId ?? null, values }),
    stop: async () => {
      await worker.stop();
      await closeTestConnections();
    },
  };
}
