// What the relay passes on exactly, with the SDK's own client as an AI app would use it: an upstream
// tool's output schema declared as the upstream wrote it and its structured content accepted by the
// client that checks it, input schemas served as written (`$schema`, `$defs`, formats) with field
// modes applied and arguments still checked before anything is queued, completions of relayed
// prompts and resource templates, and the upstream's resources/prompts list_changed reaching our
// clients. The endpoint runs in a process of its own (a web replica) and a worker runs the calls.
// Upstreams: the reference "everything" server and an emulator for what it does not give on demand
// (test/emulators/mcp-upstream-exact.ts), both on loopback.
import {
  Client as ClientV2,
  StreamableHTTPClientTransport as TransportV2,
} from "@modelcontextprotocol/client";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import {
  ErrorCode,
  McpError,
  PromptListChangedNotificationSchema,
  ResourceListChangedNotificationSchema,
  type Tool,
} from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getEnv, setEnv } from "@/env";
import { createApp } from "@/lib/apps/manage-apps";
import { getDb } from "@/lib/db/client";
import { createServer } from "@/lib/servers/manage-servers";
import { addTool, addToolSchema } from "@/lib/tools/manage-tools";
import { createUser } from "@/lib/users/create-user";
import { setLimitOverrides } from "@/lib/users/set-limit-overrides";
import { type EverythingServer, startEverythingServer } from "../emulators/mcp-upstream-everything";
import {
  bookTripTool,
  cityTemplate,
  type ExactUpstream,
  startExactUpstream,
  tripPromptName,
} from "../emulators/mcp-upstream-exact";
import { secretOfUrl, textOf, uniqueEmail } from "../helpers/mcp";
import { type RunningEndpoint, startMcpEndpoint } from "../helpers/mcp-endpoint";
import { closeTestConnections } from "../helpers/teardown";
import { type RunningWorker, startWorker } from "../helpers/worker";

const loopbackOnly = { HTTP_ALLOWED_PRIVATE_CIDRS: "127.0.0.1/32" };

let everything: EverythingServer;
let exact: ExactUpstream;
let endpoint: RunningEndpoint;
let worker: RunningWorker;
let userId: string;
let mcpUrl: string;
let builtInOnlyUrl: string;
const slugs = { everything: "", exact: "" };
const clients: Client[] = [];
/** The upstreams' own tool lists, as a client connected to them directly gets them. */
const upstreamTools = { everything: [] as Tool[], exact: [] as Tool[] };

async function connect(url: string, { direct = false } = {}): Promise<Client> {
  return (await connectWatching(url, { direct })).client;
}

/** A client, and whether its session's GET stream (where notices come) is open. */
async function connectWatching(
  url: string,
  { direct = false } = {},
): Promise<{ client: Client; streamOpen: () => boolean }> {
  let streamOpen = false;
  const client = new Client({ name: direct ? "direct-upstream" : "relay-exact-tests", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      if (init?.method === "GET" && response.headers.get("content-type")?.includes("text/event-stream"))
        streamOpen = true;
      return response;
    },
  });
  await client.connect(transport);
  clients.push(client);
  return { client, streamOpen: () => streamOpen };
}

async function keyOf(slug: string, upstreamName: string): Promise<string> {
  const action = await getDb().appAction.findFirstOrThrow({
    where: { app: { slug }, upstreamName },
    select: { key: true, acceptedHash: true },
  });
  expect(action.acceptedHash).not.toBeNull();
  return action.key;
}

async function listed(client: Client, name: string): Promise<Tool> {
  const tool = (await client.listTools()).tools.find((candidate) => candidate.name === name);
  if (!tool) throw new Error(`${name} is not listed`);
  return tool;
}

function upstreamTool(from: Tool[], name: string): Tool {
  const tool = from.find((candidate) => candidate.name === name);
  if (!tool) throw new Error(`the upstream does not list ${name}`);
  return tool;
}

beforeAll(async () => {
  setEnv(loopbackOnly);
  [everything, exact] = await Promise.all([startEverythingServer(), startExactUpstream()]);
  const env = { ...loopbackOnly, REDIS_PREFIX: getEnv().REDIS_PREFIX, HTTP_TIMEOUT_MS: "5000" };
  endpoint = await startMcpEndpoint(env);
  const user = await createUser({ email: uniqueEmail("relay-exact"), password: "correct horse battery" });
  userId = user.id;
  await setLimitOverrides(userId, { hour: 1_000, day: 1_000, month: 1_000 });
  slugs.everything = (await createApp(userId, { kind: "mcp", name: "Everything", url: everything.url })).slug;
  slugs.exact = (await createApp(userId, { kind: "mcp", name: "Trips", url: exact.url })).slug;
  const server = await createServer(userId, "exact relay");
  const tools = [
    {
      integration: slugs.everything,
      action: await keyOf(slugs.everything, "get-structured-content"),
      name: "weather",
    },
    { integration: slugs.everything, action: await keyOf(slugs.everything, "get-sum"), name: "sum" },
    { integration: slugs.everything, action: await keyOf(slugs.everything, "echo"), name: "echo" },
    {
      integration: slugs.exact,
      action: await keyOf(slugs.exact, "book_trip"),
      name: "book_trip",
      fields: { cabin: { mode: "fixed", value: "business" } },
    },
    { integration: slugs.exact, action: await keyOf(slugs.exact, "misshapen"), name: "misshapen" },
  ];
  for (const tool of tools) await addTool(userId, server.id, addToolSchema.parse(tool));
  // Started once the apps are in use, so that its first round watches them.
  worker = await startWorker(env);
  mcpUrl = `${endpoint.url}/mcp/${secretOfUrl(server.url)}`;
  const plain = await createServer(userId, "built-in only");
  await addTool(userId, plain.id, addToolSchema.parse({ integration: "formatter", action: "count_text" }));
  builtInOnlyUrl = `${endpoint.url}/mcp/${secretOfUrl(plain.url)}`;
  for (const [name, url] of [
    ["everything", everything.url],
    ["exact", exact.url],
  ] as const) {
    const direct = await connect(url, { direct: true });
    upstreamTools[name] = (await direct.listTools()).tools;
    await direct.close();
  }
}, 180_000);

afterAll(async () => {
  await Promise.all(clients.map((client) => client.close().catch(() => {})));
  await Promise.all([endpoint?.stop(), worker?.stop()]);
  await Promise.all([everything?.stop(), exact?.stop()]);
  await closeTestConnections();
});

describe("an upstream tool's output schema and structured content", () => {
  it("declares the reference server's output schema as it wrote it, and the client accepts the result", async () => {
    const client = await connect(mcpUrl);
    const weather = await listed(client, "weather");
    const upstream = upstreamTool(upstreamTools.everything, "get-structured-content");
    expect(upstream.outputSchema).toBeDefined();
    expect(weather.outputSchema).toEqual(upstream.outputSchema);
    // The SDK's client checks structured content against the declared schema (it throws if not).
    const result = await client.callTool({ name: "weather", arguments: { location: "Chicago" } });
    const chicago = { temperature: 36, conditions: "Light rain / drizzle", humidity: 82 };
    expect(result.structuredContent).toEqual(chicago);
    expect(result.content).toEqual([{ type: "text", text: JSON.stringify(chicago) }]);
  });

  it("keeps $schema and $defs of an output schema, and structured content that uses them", async () => {
    const client = await connect(mcpUrl);
    expect((await listed(client, "book_trip")).outputSchema).toEqual(bookTripTool.outputSchema);
    const result = await client.callTool({
      name: "book_trip",
      arguments: { traveller: { name: "Ada", email: "ada@example.com" }, date: "2026-12-24", seats: 2 },
    });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({ booking: { id: "BK-1", seats: 2, cabin: "business" } });
  });

  it("never passes on structured content that breaks the declared schema: the call fails instead", async () => {
    const client = await connect(mcpUrl);
    // The client learns the schemas it checks from the listing.
    expect((await listed(client, "misshapen")).outputSchema).toEqual(
      upstreamTool(upstreamTools.exact, "misshapen").outputSchema,
    );
    const calls = exact.calls.length;
    const result = await client.callTool({ name: "misshapen", arguments: {} });
    expect(exact.calls.length).toBe(calls + 1);
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toBeUndefined();
    expect(textOf(result)).toContain(
      "Trips answered with structured content that does not fit its output schema: n must be number.",
    );
    const call = await getDb().call.findFirstOrThrow({
      where: { userId, toolName: "misshapen" },
      orderBy: { startedAt: "desc" },
    });
    expect(call).toMatchObject({ status: "ERROR", errorCode: "bad_output" });
  });

  it("serves the 2.x client (@modelcontextprotocol/client) the same schemas, whose structured content it accepts", async () => {
    const client = new ClientV2({ name: "relay-exact-v2", version: "1.0.0" });
    await client.connect(new TransportV2(new URL(mcpUrl)));
    try {
      const { tools } = await client.listTools();
      const bookTrip = tools.find((tool) => tool.name === "book_trip");
      expect(bookTrip?.outputSchema).toEqual(bookTripTool.outputSchema);
      expect(bookTrip?.inputSchema.$defs).toEqual(bookTripTool.inputSchema.$defs);
      const booked = await client.callTool({
        name: "book_trip",
        arguments: { traveller: { name: "Bo", email: "bo@example.com" }, date: "2026-12-31" },
      });
      expect(booked.structuredContent).toEqual({ booking: { id: "BK-1", seats: 1, cabin: "business" } });
      const weather = await client.callTool({ name: "weather", arguments: { location: "New York" } });
      expect(weather.structuredContent).toEqual({ temperature: 33, conditions: "Cloudy", humidity: 82 });
    } finally {
      await client.close();
    }
  });

  it("leaves an upstream tool without an output schema without one", async () => {
    const client = await connect(mcpUrl);
    expect(upstreamTool(upstreamTools.everything, "echo").outputSchema).toBeUndefined();
    expect((await listed(client, "echo")).outputSchema).toBeUndefined();
    const echoed = await client.callTool({ name: "echo", arguments: { message: "hi" } });
    expect(echoed.structuredContent).toBeUndefined();
    expect(textOf(echoed)).toBe("Echo: hi");
  });
});

describe("an upstream tool's input schema, exactly", () => {
  it("serves the reference server's input schemas as it wrote them", async () => {
    const client = await connect(mcpUrl);
    for (const [ours, theirs] of [
      ["weather", "get-structured-content"],
      ["sum", "get-sum"],
      ["echo", "echo"],
    ] as const)
      expect((await listed(client, ours)).inputSchema).toEqual(
        upstreamTool(upstreamTools.everything, theirs).inputSchema,
      );
  });

  it("keeps $schema, $defs, $ref and formats, with a fixed field taken out of properties and required", async () => {
    const client = await connect(mcpUrl);
    const upstream = upstreamTool(upstreamTools.exact, "book_trip").inputSchema as Record<string, unknown>;
    const { cabin: _cabin, ...properties } = upstream.properties as Record<string, unknown>;
    expect((await listed(client, "book_trip")).inputSchema).toEqual({
      ...upstream,
      properties,
      required: ["traveller", "date"],
    });
  });

  it("checks arguments against that schema before anything is queued, naming what is wrong", async () => {
    const client = await connect(mcpUrl);
    const callsBefore = exact.calls.length;
    const ada = { name: "Ada", email: "ada@example.com" };
    const refused = async (args: Record<string, unknown>) => {
      const result = await client.callTool({ name: "book_trip", arguments: args });
      expect(result.isError).toBe(true);
      return textOf(result);
    };
    expect(
      await refused({ traveller: { name: "Ada", email: "ada at example" }, date: "2026-12-24" }),
    ).toMatch(/traveller.*email must match format "email"/);
    expect(await refused({ traveller: { name: "Ada" }, date: "2026-12-24" })).toMatch(
      /traveller.*must have required property 'email'/,
    );
    expect(await refused({ traveller: ada, date: "Christmas" })).toMatch(/date.*must match format "date"/);
    expect(await refused({ traveller: ada, date: "2026-12-24", seats: 12 })).toMatch(/seats.*must be <= 9/);
    expect(await refused({ traveller: ada })).toMatch(/date/);
    // The fixed field is the tool's, not the AI's.
    expect(await refused({ traveller: ada, date: "2026-12-24", cabin: "economy" })).toMatch(/cabin/);
    expect(exact.calls.length).toBe(callsBefore);
    const history = await getDb().call.findMany({
      where: { userId, toolName: "book_trip", errorCode: "invalid_arguments" },
    });
    expect(history).toHaveLength(6);

    await client.callTool({ name: "book_trip", arguments: { traveller: ada, date: "2026-12-24" } });
    expect(exact.calls.at(-1)).toEqual({
      name: "book_trip",
      arguments: { traveller: ada, date: "2026-12-24", cabin: "business" },
    });
  });
});

describe("completion/complete for relayed prompts and resource templates", () => {
  it("is declared only by a server that relays an upstream", async () => {
    expect((await connect(mcpUrl)).getServerCapabilities()?.completions).toEqual({});
    const plain = await connect(builtInOnlyUrl);
    expect(plain.getServerCapabilities()?.completions).toBeUndefined();
    await expect(
      plain.complete({ ref: { type: "ref/prompt", name: "anything" }, argument: { name: "a", value: "" } }),
    ).rejects.toThrow();
  });

  it("completes a prompt's argument under the upstream's own name for it", async () => {
    const client = await connect(mcpUrl);
    const name = `${slugs.exact}_${tripPromptName}`;
    expect((await client.listPrompts()).prompts.map((prompt) => prompt.name)).toContain(name);
    const result = await client.complete({
      ref: { type: "ref/prompt", name },
      argument: { name: "city", value: "P" },
    });
    expect(result.completion).toEqual({ values: ["Paris", "Porto", "Prague"], total: 3 });
    expect(exact.completions.at(-1)).toEqual({
      ref: { type: "ref/prompt", name: tripPromptName },
      argument: { name: "city", value: "P" },
    });
  });

  it("completes a resource template's variable under the upstream's own URI", async () => {
    const client = await connect(mcpUrl);
    const uri = `toolgate-app://${slugs.exact}/${cityTemplate}`;
    const templates = (await client.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate);
    expect(templates).toContain(uri);
    const result = await client.complete({
      ref: { type: "ref/resource", uri },
      argument: { name: "city", value: "li" },
    });
    expect(result.completion.values).toEqual(["Lisbon"]);
    expect(exact.completions.at(-1)).toMatchObject({ ref: { type: "ref/resource", uri: cityTemplate } });
  });

  it("passes the context of arguments already chosen (the reference server's completable prompt)", async () => {
    const client = await connect(mcpUrl);
    const name = `${slugs.everything}_completable-prompt`;
    const department = await client.complete({
      ref: { type: "ref/prompt", name },
      argument: { name: "department", value: "S" },
    });
    expect(department.completion.values).toEqual(["Sales", "Support"]);
    const lead = await client.complete({
      ref: { type: "ref/prompt", name },
      argument: { name: "name", value: "" },
      context: { arguments: { department: "Sales" } },
    });
    expect(lead.completion.values).toEqual(["David", "Eve", "Frank"]);
  });

  it("answers a JSON-RPC error naming an unknown prompt or resource, and passes on the upstream's refusal", async () => {
    const client = await connect(mcpUrl);
    const asked = exact.completions.length;
    const refusal = (ref: { type: "ref/prompt"; name: string } | { type: "ref/resource"; uri: string }) =>
      client.complete({ ref, argument: { name: "city", value: "" } }).then(
        () => undefined,
        (error: McpError) => error,
      );
    const unknownPrompt = await refusal({ type: "ref/prompt", name: `${slugs.exact}_nothing` });
    expect(unknownPrompt).toBeInstanceOf(McpError);
    expect(unknownPrompt?.code).toBe(ErrorCode.InvalidParams);
    expect(unknownPrompt?.message).toContain(`Unknown prompt: ${slugs.exact}_nothing`);
    const notOurs = await refusal({ type: "ref/resource", uri: cityTemplate });
    expect(notOurs?.code).toBe(ErrorCode.InvalidParams);
    expect(notOurs?.message).toContain(`Unknown resource template: ${cityTemplate}`);
    const otherApp = await refusal({
      type: "ref/resource",
      uri: `toolgate-app://no-such-app/${cityTemplate}`,
    });
    expect(otherApp?.code).toBe(ErrorCode.InvalidParams);
    expect(exact.completions.length).toBe(asked);
    // Ours, but the upstream has no such template: its words come back, naming the app.
    const upstreamRefusal = await refusal({
      type: "ref/resource",
      uri: `toolgate-app://${slugs.exact}/trips://x`,
    });
    expect(upstreamRefusal).toBeInstanceOf(McpError);
    expect(upstreamRefusal?.message).toContain("Trips: MCP error -32602");
    expect(upstreamRefusal?.message).toContain('No completion for {"type":"ref/resource","uri":"trips://x"}');
    expect(exact.completions.length).toBe(asked + 1);
  });
});

describe("an upstream's resources and prompts list_changed", () => {
  it("reaches the clients of a server relaying the app on their session's stream, and no others", {
    timeout: 90_000,
  }, async () => {
    const heard: string[] = [];
    const { client, streamOpen } = await connectWatching(mcpUrl);
    client.setNotificationHandler(ResourceListChangedNotificationSchema, () => void heard.push("resources"));
    client.setNotificationHandler(PromptListChangedNotificationSchema, () => void heard.push("prompts"));
    const elsewhere: string[] = [];
    const plain = await connectWatching(builtInOnlyUrl);
    plain.client.setNotificationHandler(
      ResourceListChangedNotificationSchema,
      () => void elsewhere.push("resources"),
    );
    plain.client.setNotificationHandler(
      PromptListChangedNotificationSchema,
      () => void elsewhere.push("prompts"),
    );
    await expect.poll(streamOpen).toBe(true);
    await expect.poll(plain.streamOpen).toBe(true);
    expect(client.getServerCapabilities()?.resources?.listChanged).toBe(true);
    expect(client.getServerCapabilities()?.prompts?.listChanged).toBe(true);

    await expect
      .poll(
        () =>
          worker
            .output()
            .split("\n")
            .some((line) => line.includes(`"app":"${slugs.exact}"`) && line.includes("watching an upstream")),
        { timeout: 40_000 },
      )
      .toBe(true);
    // Announced again until heard: the worker's watch of the upstream opens its stream in its time.
    await expect
      .poll(
        async () => {
          await exact.announceResourcesChanged();
          return heard.includes("resources");
        },
        { interval: 500 },
      )
      .toBe(true);
    expect(heard).not.toContain("prompts");
    await expect
      .poll(
        async () => {
          await exact.announcePromptsChanged();
          return heard.includes("prompts");
        },
        { interval: 500 },
      )
      .toBe(true);
    await exact.announceResourcesChanged();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(elsewhere).toEqual([]);
    // Heard by the worker, which said so.
    expect(worker.output()).toContain("upstream's catalog changed");
  });
});
