// A stdio upstream (a command line run by the workers' host) as an MCP app: the reference
// "everything" server in its stdio mode, listed and called; it gets only the environment its
// definition names (its environment-printing tool shows that neither a canary planted in this
// process's environment, nor the platform's own settings, nor the SDK's default variables reach
// it); its environment is stored sealed, not in the app's source; only an administrator may add
// one; a command that cannot be run fails clearly.
import { createRequire } from "node:module";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ActionContext } from "@/integrations/sdk/define";
import { ActionError, AppUnreachableError } from "@/integrations/sdk/errors";
import type { AppRecord, PreparedApp, ServedAction } from "@/lib/apps/app-driver";
import { createApp, deleteApp } from "@/lib/apps/manage-apps";
import { mcpKindDriver, stdioDriver } from "@/lib/apps/mcp/stdio-driver";
import { assertMayRegisterStdio } from "@/lib/apps/mcp/stdio-source";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { readMcpToolOutput } from "@/lib/mcp/call-result";
import { uniqueEmail } from "../helpers/mcp";
import { closeTestConnections } from "../helpers/teardown";

const canaryName = "TOOLGATE_STDIO_CANARY";
const canaryValue = "canary-7d1f0b2e9a";
const everythingEntry = (() => {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve("@modelcontextprotocol/server-everything/package.json");
  return path.join(path.dirname(manifest), "dist", "index.js");
})();

const definition = {
  name: "Everything (stdio)",
  transport: "stdio",
  command: process.execPath,
  args: [everythingEntry, "stdio"],
  env: { GREETING: "hello from the definition", EVERYTHING_TOKEN: "definition-secret-42" },
};

let prepared: PreparedApp;
let app: AppRecord;

beforeAll(async () => {
  process.env[canaryName] = canaryValue;
  prepared = await mcpKindDriver.prepare(definition, AbortSignal.timeout(30_000));
  app = {
    id: "app-stdio",
    slug: "mcp-stdio",
    kind: "MCP",
    name: prepared.name,
    description: prepared.description,
    userId: "user",
    orgId: null,
    source: prepared.source,
    auth: prepared.auth,
    headers: prepared.headers,
  };
}, 60_000);

afterAll(async () => {
  delete process.env[canaryName];
  await closeTestConnections();
});

function served(upstreamName: string): ServedAction {
  const action = prepared.actions.find((candidate) => candidate.upstreamName === upstreamName);
  if (!action) throw new Error(`no ${upstreamName}`);
  return {
    key: upstreamName,
    upstreamName,
    definition: {
      title: upstreamName,
      description: action.description ?? "",
      inputSchema: action.inputSchema ?? { type: "object" },
      annotations: { readOnly: false, destructive: true, idempotent: false, openWorld: true },
      invoke: {},
    },
  };
}

function contextFor(input: Record<string, unknown>): ActionContext<Record<string, unknown>, unknown> {
  return {
    input,
    auth: undefined,
    signal: AbortSignal.timeout(30_000),
    progress: async () => {},
  } as unknown as ActionContext<Record<string, unknown>, unknown>;
}

function textOf(output: unknown): string {
  const result = readMcpToolOutput(output);
  return result?.content.flatMap((block) => (block.type === "text" ? [block.text] : [])).join("\n") ?? "";
}

describe("a stdio upstream", () => {
  it("is listed through the MCP kind's driver, its environment kept out of its stored source", () => {
    expect(prepared.actions.map((action) => action.upstreamName)).toEqual(
      expect.arrayContaining(["echo", "get-env"]),
    );
    expect(prepared.source).toEqual({ transport: "stdio", command: process.execPath, args: definition.args });
    expect(JSON.stringify(prepared.source)).not.toContain("definition-secret-42");
    // Stored sealed, as an app's headers are.
    expect(prepared.headers).toEqual(definition.env);
  });

  it("gets only the environment its definition names", async () => {
    expect(process.env.DATABASE_URL).toBeTruthy();
    expect(process.env.PATH).toBeTruthy();
    const output = await stdioDriver.run(app, served("get-env"), contextFor({}));
    const env = JSON.parse(textOf(output)) as Record<string, string>;
    expect(env).toEqual(definition.env);
    expect(JSON.stringify(output)).not.toContain(canaryValue);
  });

  it("calls its tools", async () => {
    const output = await mcpKindDriver.run(app, served("echo"), contextFor({ message: "over stdio" }));
    expect(textOf(output)).toBe("Echo: over stdio");
    const missing = await mcpKindDriver
      .run(app, { ...served("echo"), upstreamName: "no-such-tool" }, contextFor({}))
      .catch((error: Error) => error);
    expect(missing).toBeInstanceOf(ActionError);
    expect((missing as Error).message).toMatch(/no-such-tool/);
  });

  it("says clearly when its command cannot be run", async () => {
    const error = await mcpKindDriver
      .prepare({ ...definition, command: "no-such-command-here" }, AbortSignal.timeout(10_000))
      .catch((caught: Error) => caught);
    expect(error).toBeInstanceOf(AppUnreachableError);
    expect((error as Error).message).toMatch(/no-such-command-here could not be run \(ENOENT\)/);
  });

  it("may be added by an administrator only", () => {
    const source = { transport: "stdio", command: "/usr/bin/env" };
    expect(() => assertMayRegisterStdio({ role: "USER" }, source)).toThrow(AppError);
    expect(() => assertMayRegisterStdio({ role: "USER" }, source)).toThrow(/Only an administrator/);
    expect(() => assertMayRegisterStdio({ role: "ADMIN" }, source)).not.toThrow();
    expect(() =>
      assertMayRegisterStdio({ role: "USER" }, { url: "https://example.com/mcp", transport: "auto" }),
    ).not.toThrow();
  });

  it("is refused to a person who is not an administrator when they add it, and added for one who is", async () => {
    const db = getDb();
    const person = await db.user.create({ data: { email: uniqueEmail("stdio-user") } });
    const admin = await db.user.create({ data: { email: uniqueEmail("stdio-admin"), role: "ADMIN" } });
    const refused = await createApp(person.id, { kind: "mcp", ...definition }).catch(
      (caught: Error) => caught,
    );
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe("forbidden");
    expect(await db.app.count({ where: { userId: person.id } })).toBe(0);
    const added = await createApp(admin.id, { kind: "mcp", ...definition });
    expect(added.actions.map((action) => action.upstreamName)).toContain("get-env");
    await deleteApp(admin.id, added.slug);
  }, 60_000);
});
