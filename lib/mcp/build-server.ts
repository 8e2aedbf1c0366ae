// One MCP server object per request, over the tools of the endpoint's snapshot. Building it is
// cheap: the JSON Schema validator is shared, and schemas come from the action definitions.
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  type AnyObjectSchema,
  getLiteralValue,
  getObjectShape,
  getParseErrorMessage,
  type SchemaOutput,
  safeParse,
} from "@modelcontextprotocol/sdk/server/zod-compat.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import {
  type CallToolRequest,
  CallToolRequestSchema,
  type CallToolResult,
  ErrorCode,
  ListToolsRequestSchema,
  type LoggingLevel,
  McpError,
  type Notification,
  type ProgressToken,
  type Request,
  type Result,
  type ServerNotification,
  type ServerRequest,
  type ServerResult,
  SetLevelRequestSchema,
  type Tool,
} from "@modelcontextprotocol/sdk/types.js";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import { z } from "zod";
import type { ActionDefinition } from "@/integrations/sdk/define";
import { findSnapshotAction } from "@/lib/apps/app-registry";
import { admitCall, type CallContext } from "@/lib/calls/admit-call";
import { callWaitMs } from "@/lib/calls/call-timeouts";
import { buildOutputSchema } from "@/lib/integrations/catalog";
import { mayCallTool, type ToolAccess } from "@/lib/orgs/tool-access";
import { endpointIdOf, type ServerSnapshot, type ToolSnapshot } from "@/lib/servers/server-snapshot";
import { buildToolInputSchema } from "@/lib/tools/field-settings";
import { toolAnnotations } from "@/lib/tools/tool-annotations";
import { toCallToolResult } from "./call-result";
import { watchForCancellation } from "./cancellations";
import { registerRelayHandlers, relayCapabilities, relaysCompletions } from "./relay-handlers";
import { type McpSession, updateSessionLogLevel } from "./sessions";

const sharedValidator = new AjvJsonSchemaValidator();
const admissionRoomMs = 30_000;
export const serverInfo = { name: "toolgate", title: "Toolgate", version: "0.1.0" };

// By action, then by the tool's settings: an added app's action is a new object whenever its
// accepted definition changes, so a described tool never outlives the definition it came from.
const toolCache = new WeakMap<ActionDefinition, Map<string, Tool>>();

export function describeTool(
  tool: Omit<ToolSnapshot, "allowedRoles" | "allowedUserIds">,
  action: ActionDefinition,
): Tool {
  const cacheKey = `${tool.id}:${JSON.stringify(tool)}`;
  let byTool = toolCache.get(action);
  if (!byTool) {
    byTool = new Map();
    toolCache.set(action, byTool);
  }
  const cached = byTool.get(cacheKey);
  if (cached) return cached;
  const annotations = toolAnnotations(action, tool.fields);
  const outputSchema = buildOutputSchema(action);
  const described: Tool = {
    name: tool.name,
    title: action.title,
    description: tool.description || action.description,
    inputSchema: buildToolInputSchema(action, tool.fields),
    ...(outputSchema && { outputSchema: outputSchema as Tool["outputSchema"] }),
    annotations: {
      title: action.title,
      readOnlyHint: annotations.readOnly,
      destructiveHint: annotations.destructive,
      idempotentHint: annotations.idempotent,
      openWorldHint: annotations.openWorld,
    },
  };
  if (byTool.size > 10_000) byTool.clear();
  byTool.set(cacheKey, described);
  return described;
}

/**
 * Whether the snapshot's caller may call this tool: always on a personal server; on an
 * organization's, as the member's role and the tool's permissions allow (lib/orgs/tool-access.ts).
 */
export function toolAccessOf(
  snapshot: ServerSnapshot,
  tool: ToolSnapshot,
  action: ActionDefinition,
): ToolAccess {
  if (!snapshot.org) return { allowed: true };
  return mayCallTool(
    snapshot.org.caller,
    { orgName: snapshot.org.name, writesAdminOnly: snapshot.org.writesAdminOnly },
    tool,
    action,
  );
}

// A web process reuses a snapshot object until a change drops it (lib/servers/snapshot-cache.ts),
// so the tool list of one is described once. A member's URL has a snapshot of its own, so the list
// is the caller's: only the tools they may call.
const describedSnapshots = new WeakMap<ServerSnapshot, Tool[]>();

export function listToolDescriptions(snapshot: ServerSnapshot): Tool[] {
  const described = describedSnapshots.get(snapshot);
  if (described) return described;
  const tools = snapshot.tools.flatMap((tool) => {
    const found = findSnapshotAction(snapshot.addedApps, tool.integration, tool.action);
    if (!found || !toolAccessOf(snapshot, tool, found.action).allowed) return [];
    return [describeTool(tool, found.action)];
  });
  describedSnapshots.set(snapshot, tools);
  return tools;
}

const logLevels: LoggingLevel[] = [
  "debug",
  "info",
  "notice",
  "warning",
  "error",
  "critical",
  "alert",
  "emergency",
];

/** Whether a message at `level` passes the session's threshold; nothing is sent before one is set. */
function shouldLog(threshold: string | undefined, level: LoggingLevel): boolean {
  if (!threshold) return false;
  return logLevels.indexOf(level) >= logLevels.indexOf(threshold as LoggingLevel);
}

// The method-only schemas the handlers are registered under, made once per method rather than
// for every request's server.
const methodOnlySchemas = new Map<string, z.ZodObject>();

function methodOnlySchema(method: string): z.ZodObject {
  let schema = methodOnlySchemas.get(method);
  if (!schema) {
    schema = z.looseObject({ method: z.literal(method) });
    methodOnlySchemas.set(method, schema);
  }
  return schema;
}

/**
 * The SDK's Server, except that a request whose params do not fit the method's schema gets
 * -32602 (invalid params), as JSON-RPC says: the SDK parses params before any handler runs and
 * reports a failure as -32603 (internal error). Every handler, the SDK's own included, is
 * registered under a schema that checks only the method, and checks its real schema itself.
 */
class StrictParamsServer extends Server {
  override setRequestHandler<T extends AnyObjectSchema>(
    requestSchema: T,
    handler: (
      request: SchemaOutput<T>,
      extra: RequestHandlerExtra<ServerRequest | Request, ServerNotification | Notification>,
    ) => ServerResult | Result | Promise<ServerResult | Result>,
  ): void {
    const methodSchema = getObjectShape(requestSchema)?.method;
    const method = methodSchema ? getLiteralValue(methodSchema) : undefined;
    if (typeof method !== "string") {
      super.setRequestHandler(requestSchema, handler);
      return;
    }
    super.setRequestHandler(methodOnlySchema(method), (request, extra) => {
      const parsed = safeParse(requestSchema, request);
      if (!parsed.success)
        throw new McpError(
          ErrorCode.InvalidParams,
          `Invalid params for ${method}: ${getParseErrorMessage(parsed.error)}`,
        );
      return handler(parsed.data as SchemaOutput<T>, extra);
    });
  }
}

type BuildOptions = { clock?: CallContext["clock"]; session?: McpSession | null };
type HandlerExtra = RequestHandlerExtra<ServerRequest | Request, ServerNotification | Notification>;

/** Sends the call's progress to the client, if it asked for progress with a token. */
function relayProgress(
  extra: HandlerExtra,
  progressToken: ProgressToken | undefined,
): CallContext["onProgress"] {
  if (progressToken === undefined) return undefined;
  return (progress, total, message) =>
    extra.sendNotification({
      method: "notifications/progress",
      params: { progressToken, progress, total, message },
    });
}

/**
 * tools/call: the call goes to lib/calls (admitted, queued, run on a worker, awaited) with the
 * client's cancellation, progress and log messages wired in, and its outcome comes back as MCP's
 * result.
 */
async function callTool(
  snapshot: ServerSnapshot,
  request: CallToolRequest,
  extra: HandlerExtra,
  options: BuildOptions & { logLevel: () => string | undefined },
): Promise<CallToolResult> {
  const tool = snapshot.tools.find((candidate) => candidate.name === request.params.name);
  if (!tool) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${request.params.name}`);
  const log = async (level: LoggingLevel, data: string) => {
    if (shouldLog(options.logLevel(), level))
      await extra.sendNotification({
        method: "notifications/message",
        params: { level, logger: "toolgate", data },
      });
  };
  const action = findSnapshotAction(snapshot.addedApps, tool.integration, tool.action)?.action;
  const access = action ? toolAccessOf(snapshot, tool, action) : ({ allowed: true } as const);
  // A tool error, not a protocol one: the AI app shows the member why.
  if (!access.allowed) return { content: [{ type: "text", text: access.reason }], isError: true };
  await log("info", `Running ${tool.name}`);
  const cancellation = await watchForCancellation(
    extra.signal,
    endpointIdOf(snapshot),
    options.session?.id ?? null,
    extra.requestId,
    // The call's wait, and room for its admission before it.
    (action ? callWaitMs(action) : 0) + admissionRoomMs,
  );
  const outcome = await admitCall(snapshot, tool, request.params.arguments, {
    signal: cancellation.signal,
    clock: options.clock,
    log,
    onProgress: relayProgress(extra, request.params._meta?.progressToken),
    onLog: async ({ level, logger, data }) => {
      if (shouldLog(options.logLevel(), level))
        await extra.sendNotification({
          method: "notifications/message",
          params: { level, logger: logger ?? tool.name, data },
        });
    },
  }).finally(() => void cancellation.stop());
  const result = toCallToolResult(outcome, action?.output !== undefined, {
    fromMcpUpstream: snapshot.addedApps[tool.integration]?.app.kind === "MCP",
  });
  await log(result.isError ? "warning" : "info", `${tool.name} ${result.isError ? "failed" : "finished"}`);
  return result;
}

export function buildMcpServer(snapshot: ServerSnapshot, options: BuildOptions = {}): Server {
  const server = new StrictParamsServer(serverInfo, {
    // listChanged: a session's GET stream is told when its tool list changes (session-stream.ts).
    capabilities: {
      tools: { listChanged: true },
      logging: {},
      ...relayCapabilities,
      ...(relaysCompletions(snapshot) && { completions: {} }),
    },
    instructions: snapshot.org
      ? `Tools of "${snapshot.serverName}" of ${snapshot.org.name}, run by Toolgate. Each call counts toward the organization's hourly, daily and monthly quota and your share of it.`
      : `Tools of "${snapshot.serverName}", run by Toolgate. Each call counts toward the owner's hourly, daily and monthly quota.`,
    jsonSchemaValidator: sharedValidator,
  });
  let logLevel = options.session?.logLevel;
  server.setRequestHandler(SetLevelRequestSchema, async (request) => {
    logLevel = request.params.level;
    if (options.session) await updateSessionLogLevel(options.session, logLevel);
    return {};
  });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: listToolDescriptions(snapshot) }));
  server.setRequestHandler(CallToolRequestSchema, (request, extra) =>
    callTool(snapshot, request, extra, { ...options, logLevel: () => logLevel }),
  );
  registerRelayHandlers(server, snapshot);
  return server;
}
