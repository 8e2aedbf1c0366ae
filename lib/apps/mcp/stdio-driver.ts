// The MCP kind's driver for stdio upstreams (a command line run by the workers' host), and the
// MCP kind's driver as a whole: a stdio source goes here, a URL to mcp-driver.ts. The process's
// environment is secret material (API keys): it is stored as the app's sealed headers, never in
// its source, and opened only to start the process.
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { noAuth } from "@/integrations/sdk/define";
import { AppError } from "@/lib/errors/app-error";
import { mcpToolOutput } from "@/lib/mcp/call-result";
import type { AppDriver, AppRecord } from "../app-driver";
import { upstreamTextsOfClient } from "../upstream-texts";
import { mcpDriver, upstreamRequestTimeoutMs } from "./mcp-driver";
import { withStdioUpstream } from "./stdio-session";
import {
  isStdioSource,
  parseStdioSource,
  type StdioSource,
  stdioIssueMessage,
  stdioSourceSchema,
} from "./stdio-source";
import { relayUpstreamLogs } from "./upstream-logs";
import { actionOfTool, listAllTools } from "./upstream-tools";

const addStdioAppSchema = stdioSourceSchema.extend({ name: z.string().trim().min(1).max(100) });

const toolCallTimeoutMs = 15 * 60_000;

/** What is stored of the source: where and how to run it, without the environment's values. */
function storedSource(source: StdioSource) {
  const { env: _env, ...rest } = source;
  return rest;
}

/** The app's full source: the stored one and its environment, opened from the sealed headers. */
function sourceOfApp(app: AppRecord): StdioSource {
  return parseStdioSource({ ...(app.source as object), env: app.headers });
}

/** The command's tools as actions, and what it says about itself in its handshake. */
async function discoverTools(appName: string, source: StdioSource, signal: AbortSignal) {
  const timeout = upstreamRequestTimeoutMs();
  return withStdioUpstream(appName, source, { signal, timeoutMs: timeout }, async (client) => ({
    actions: (await listAllTools(client, appName, { signal, timeout })).map(actionOfTool),
    texts: upstreamTextsOfClient(client),
  }));
}

export const stdioDriver: AppDriver = {
  prepare: async (input, signal) => {
    const parsed = addStdioAppSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new AppError(
        "validation_failed",
        `${issue?.path.join(".") || "body"}: ${stdioIssueMessage(issue)}`,
      );
    }
    const { name, ...source } = parsed.data;
    const found = await discoverTools(name, source, signal);
    return {
      name,
      description: `MCP server run as ${source.command}`,
      source: storedSource(source),
      auth: { type: "none" },
      headers: source.env,
      actions: found.actions,
      texts: found.texts,
    };
  },

  connect: (app) => ({
    auth: noAuth,
    test: async (context) => {
      await discoverTools(app.name, sourceOfApp(app), context.signal);
      return { account: app.name };
    },
  }),

  discover: async (app, access) => {
    const found = await discoverTools(app.name, sourceOfApp(app), access.signal);
    access.onTexts?.(found.texts);
    return found.actions;
  },

  run: async (app, action, context) => {
    const { signal } = context;
    const result = await withStdioUpstream(
      app.name,
      sourceOfApp(app),
      { signal, timeoutMs: upstreamRequestTimeoutMs() },
      (client) => {
        relayUpstreamLogs(client, context);
        return client.callTool({ name: action.upstreamName, arguments: context.input }, undefined, {
          signal,
          timeout: toolCallTimeoutMs,
          onprogress: (progress) => {
            void context.progress(progress.progress, progress.total, progress.message).catch(() => {});
          },
        });
      },
    );
    return mcpToolOutput(app.name, result as CallToolResult);
  },
};

const isStdioInput = (input: unknown) => isStdioSource(input);

/** The MCP kind: stdio sources run here, URLs go to the HTTP driver. */
export const mcpKindDriver: AppDriver = {
  prepare: (input, signal) => (isStdioInput(input) ? stdioDriver : mcpDriver).prepare(input, signal),
  connect: (app) => (isStdioSource(app.source) ? stdioDriver : mcpDriver).connect(app),
  discover: (app, access) => (isStdioSource(app.source) ? stdioDriver : mcpDriver).discover(app, access),
  // A command line has no authorization server: only URLs sign in with OAuth.
  registerOAuthClient: async (app, redirectUri, signal) =>
    isStdioSource(app.source) ? undefined : mcpDriver.registerOAuthClient?.(app, redirectUri, signal),
  run: (app, action, context) =>
    (isStdioSource(app.source) ? stdioDriver : mcpDriver).run(app, action, context),
};
