// Upgrading from the version whose embedded database was PGlite: a data directory as that version
// left it (its database written by PGlite, with accounts, an API token, a connection whose
// credentials are encrypted, servers, tools and calls), then `npm start` on embedded defaults. The
// first start moves the database to the embedded PostgreSQL, keeps the old directory, and then
// serves the same accounts; nothing is lost and the next start does not move anything again.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { setEnv } from "@/env";
import { sealCallInput } from "@/lib/calls/call-input";
import { createPendingCall, finishCall, recordRefusedCall } from "@/lib/calls/ledger";
import { createConnection } from "@/lib/connections/manage-connections";
import { applyMigrations } from "@/lib/db/migrations";
import { seedDemo } from "@/lib/demo/seed-demo";
import { isEmbeddedCluster } from "@/lib/runtime/embedded-postgres";
import { createServer } from "@/lib/servers/manage-servers";
import { createApiToken } from "@/lib/tokens/api-tokens";
import { addTool, addToolSchema } from "@/lib/tools/manage-tools";
import { createUser } from "@/lib/users/create-user";
import { type GitHubEmulator, githubToken, startGitHubEmulator } from "../emulators/github";
import { signInOverHttp } from "../helpers/auth-http";
import { connectClient, secretOfUrl } from "../helpers/mcp";
import { servePgliteDataDir } from "../helpers/pglite-data-dir";
import {
  createDataDir,
  embeddedEnv,
  type RunningPlatform,
  startPlatform,
  stopStartedPlatforms,
} from "../helpers/platform";
import { closeTestConnections } from "../helpers/teardown";

vi.setConfig({ testTimeout: 240_000 });

const email = `upgraded-${randomBytes(4).toString("hex")}@example.com`;
const password = "upgraded password";
// secrets.json as the earlier version wrote it: no database password yet.
const oldSecrets = {
  AUTH_SECRET: randomBytes(32).toString("base64url"),
  ENCRYPTION_KEY: randomBytes(32).toString("base64"),
};

let dataDir: string;
let emulator: GitHubEmulator;
let before: { token: string; connectionId: string; demoMcpUrl: string; callIds: string[] };

/** The account and its things, made through the project's own code, stored by PGlite. */
async function fillEarlierVersionDatabase(databaseUrl: string) {
  await applyMigrations(databaseUrl);
  setEnv({ DATABASE_URL: databaseUrl, ...oldSecrets });
  const user = await createUser({ email, password });
  const { token } = await createApiToken(user.id, { name: "made before the upgrade" });
  const connection = await createConnection(user.id, {
    integration: "github",
    label: "octocat",
    credentials: { token: githubToken },
  });
  const server = await createServer(user.id, "Made with PGlite");
  const tool = await addTool(
    user.id,
    server.id,
    addToolSchema.parse({ integration: "formatter", action: "transform_text" }),
  );
  const call = (index: number) => ({
    id: randomUUID(),
    userId: user.id,
    serverId: server.id,
    toolId: tool.id,
    toolName: tool.name,
    integration: "formatter",
    action: "transform_text",
    input: { text: `before ${index} — ünïcode`, operation: "uppercase" },
    startedAt: new Date(Date.now() - 60_000 + index * 1_000),
  });
  const calls = [call(1), call(2), call(3)];
  for (const pending of calls.slice(0, 2))
    await createPendingCall({ ...pending, sealedInput: await sealCallInput(pending, {}, pending.input) });
  await finishCall(calls[0]!.id, { status: "SUCCESS", output: { text: "BEFORE 1 — ÜNÏCODE" } });
  await finishCall(calls[1]!.id, { status: "ERROR", errorCode: "upstream", errorMessage: "it failed" });
  await recordRefusedCall(calls[2]!, "Quota exceeded: the hourly limit of 80 tool calls is used up.");
  const demo = await seedDemo(`demo-${randomBytes(3).toString("hex")}@example.com`);
  await closeTestConnections();
  before = { token, connectionId: connection.id, demoMcpUrl: demo.mcpUrl, callIds: calls.map((c) => c.id) };
}

async function api<T>(platform: RunningPlatform, method: string, route: string): Promise<T> {
  const response = await fetch(`${platform.url}/api/v1${route}`, {
    method,
    headers: { Authorization: `Bearer ${before.token}` },
  });
  expect(response.status, route).toBeLessThan(300);
  return (await response.json()) as T;
}

const start = () => startPlatform({ env: { ...embeddedEnv, GITHUB_API_URL: emulator.url }, dataDir });

beforeAll(async () => {
  emulator = await startGitHubEmulator();
  dataDir = await createDataDir("pglite");
  await writeFile(path.join(dataDir, "secrets.json"), `${JSON.stringify(oldSecrets, null, 2)}\n`, {
    mode: 0o600,
  });
  const served = await servePgliteDataDir(dataDir);
  try {
    await fillEarlierVersionDatabase(served.url);
  } finally {
    await served.close();
  }
});

afterAll(async () => {
  await stopStartedPlatforms();
  await emulator?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe("npm start on a data directory of the PGlite version", () => {
  it("refuses while a process of the earlier version still has its database open, naming it", async () => {
    const directory = path.join(dataDir, "postgres");
    // What an orphan of the earlier version looked like: a node process given the directory.
    const orphan: ChildProcess = spawn(process.execPath, [
      "-e",
      "setInterval(() => {}, 1000)",
      directory,
      "41234",
    ]);
    try {
      const refused = await start().then(
        () => "started",
        (error: Error) => error.message,
      );
      expect(refused).toContain(`The database in ${directory} is still in use by process ${orphan.pid} (`);
      expect(await isEmbeddedCluster(directory)).toBe(false); // left as it was
    } finally {
      orphan.kill("SIGKILL");
    }
  });

  it("moves the database to PostgreSQL on the first start, keeping the old directory", async () => {
    const platform = await start();
    try {
      expect(platform.output()).toContain("[start] moving the database of the earlier version (PGlite)");
      expect(platform.output()).toMatch(/\[start\] copied \d+ rows in \d+ tables, each checked/);
      expect(await isEmbeddedCluster(path.join(dataDir, "postgres"))).toBe(true);
      const backups = (await readdir(dataDir)).filter((name) => name.startsWith("postgres.pglite-backup-"));
      expect(backups).toHaveLength(1);
      expect(platform.output()).toContain(
        `the old database directory is kept as ${path.join(dataDir, backups[0]!)}`,
      );
      await stat(path.join(dataDir, backups[0]!, "PG_VERSION"));
      expect(
        (await readdir(dataDir)).filter((name) => /^postgres\.(migrating|migrated|initdb)/.test(name)),
      ).toEqual([]);
      const secrets = JSON.parse(await readFile(path.join(dataDir, "secrets.json"), "utf8"));
      expect(secrets).toMatchObject(oldSecrets); // the keys that opened everything are untouched
      expect(secrets.POSTGRES_PASSWORD).toEqual(expect.any(String));

      // The same account, its password, the API token it made, its encrypted GitHub token.
      expect((await signInOverHttp(platform.url, email, password)).code).toBeNull();
      const connections = await api<{ id: string; label: string }[]>(platform, "GET", "/connections");
      expect(connections).toEqual([expect.objectContaining({ id: before.connectionId, label: "octocat" })]);
      const tested = await api<{ ok: boolean; account?: string }>(
        platform,
        "POST",
        `/connections/${before.connectionId}/test`,
      );
      expect(tested).toEqual({ ok: true, account: "octocat" });
      const servers = await api<{ name: string }[]>(platform, "GET", "/servers");
      expect(servers.map((server) => server.name)).toEqual(["Made with PGlite"]);
      const calls = await api<{ id: string; status: string; errorMessage: string | null }[]>(
        platform,
        "GET",
        "/calls",
      );
      expect(calls.map((call) => [call.id, call.status])).toEqual([
        [before.callIds[2], "REFUSED"],
        [before.callIds[1], "ERROR"],
        [before.callIds[0], "SUCCESS"],
      ]);

      // The demo server's URL (its secret's hash) still opens its tools, which run.
      const client = await connectClient(platform.url, secretOfUrl(before.demoMcpUrl));
      const result = await client.callTool({
        name: "formatter_transform_text",
        arguments: { text: "after the move", operation: "uppercase" },
      });
      await client.close();
      expect(result.isError).toBeFalsy();
      expect(JSON.stringify(result.content)).toContain("AFTER THE MOVE");
    } finally {
      expect(await platform.stop()).toBe(0);
    }
  });

  it("starts again on the moved database without moving anything", async () => {
    const platform = await start();
    try {
      expect(platform.output()).not.toContain("moving the database");
      expect(platform.output()).toContain("[start] database schema is up to date");
      expect((await signInOverHttp(platform.url, email, password)).code).toBeNull();
      expect(
        (await readdir(dataDir)).filter((name) => name.startsWith("postgres.pglite-backup-")),
      ).toHaveLength(1);
    } finally {
      expect(await platform.stop()).toBe(0);
    }
  });
});
