// MCP endpoint credentials and tenancy (docs/security.md 1-5): a secret reaches only its own server's
// tools, calls and quota; wrong, malformed, rotated and deleted secrets get 401 at once; a session
// id is bound to the server that created it; the secret never shows up in the platform's logs.
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { getUsage } from "@/lib/quota/usage";
import { deleteServer, rotateServerSecret } from "@/lib/servers/manage-servers";
import { generateServerSecret } from "@/lib/servers/server-secrets";
import {
  acceptBoth,
  addServer,
  callRequest,
  connectClient,
  createTenant,
  postRpc,
  responseOf,
  secretOfUrl,
  type Tenant,
  textOf,
} from "../helpers/mcp";
import { type RunningPlatform, startPlatform } from "../helpers/platform";
import { closeTestConnections } from "../helpers/teardown";

let platform: RunningPlatform;
let alice: Tenant;
let bob: Tenant;
const usedSecrets: string[] = [];
const clients: Client[] = [];

const initialize = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
};

beforeAll(async () => {
  platform = await startPlatform({ env: { LOG_LEVEL: "debug" } });
  alice = await createTenant(platform.url, "alice", [
    { integration: "formatter", action: "transform_text" },
    { integration: "formatter", action: "count_text", name: "alice_private_counter" },
  ]);
  bob = await createTenant(platform.url, "bob", [
    { integration: "formatter", action: "calculate", name: "bob_private_calculator" },
  ]);
  usedSecrets.push(alice.secret, bob.secret);
});

afterAll(async () => {
  await Promise.all(clients.map((client) => client.close().catch(() => {})));
  await platform?.stop();
  await closeTestConnections();
});

async function track(client: Promise<Client>): Promise<Client> {
  const connected = await client;
  clients.push(connected);
  return connected;
}

describe("tenant isolation", () => {
  it("lists only the secret's own tools, through the path and the bearer header", async () => {
    for (const via of ["path", "bearer"] as const) {
      const aliceClient = await track(connectClient(platform.url, alice.secret, via));
      const bobClient = await track(connectClient(platform.url, bob.secret, via));
      const aliceTools = (await aliceClient.listTools()).tools.map((tool) => tool.name);
      const bobTools = (await bobClient.listTools()).tools.map((tool) => tool.name);
      expect(aliceTools.sort()).toEqual(["alice_private_counter", "formatter_transform_text"]);
      expect(bobTools).toEqual(["bob_private_calculator"]);
    }
  });

  it("cannot call another tenant's tool by name", async () => {
    const aliceClient = await track(connectClient(platform.url, alice.secret));
    await expect(
      aliceClient.callTool({ name: "bob_private_calculator", arguments: { operation: "add", numbers: [1] } }),
    ).rejects.toThrow(/Unknown tool/);
  });

  it("refuses a session id of one server presented with another server's secret (404)", async () => {
    const init = await postRpc(alice.url, initialize);
    expect(init.status).toBe(200);
    const sessionId = init.headers.get("mcp-session-id");
    expect(sessionId).toMatch(/^[A-Za-z0-9_-]{20,}$/);

    const list = { jsonrpc: "2.0", id: 2, method: "tools/list" };
    const own = await postRpc(alice.url, list, { "Mcp-Session-Id": sessionId! });
    expect(own.status).toBe(200);

    const stolen = await postRpc(bob.url, list, { "Mcp-Session-Id": sessionId! });
    expect(stolen.status).toBe(404);
    expect(responseOf(stolen).error?.code).toBe(-32001);

    // Even a second server of the same user does not accept it: sessions belong to servers.
    const aliceSecond = await addServer(platform.url, alice.userId, alice.email, "alice second", []);
    usedSecrets.push(aliceSecond.secret);
    const sameUser = await postRpc(aliceSecond.url, list, { "Mcp-Session-Id": sessionId! });
    expect(sameUser.status).toBe(404);

    const deleted = await fetch(bob.url, {
      method: "DELETE",
      headers: { "Mcp-Session-Id": sessionId!, Accept: acceptBoth },
    });
    expect(deleted.status).toBe(404);
    // Bob's failed DELETE did not end Alice's session.
    expect((await postRpc(alice.url, list, { "Mcp-Session-Id": sessionId! })).status).toBe(200);
  });

  it("records calls against the calling user and leaves the other's quota alone", async () => {
    const before = await getUsage(bob.userId);
    const aliceClient = await track(connectClient(platform.url, alice.secret, "bearer"));
    for (let index = 0; index < 3; index++) {
      const result = await aliceClient.callTool({
        name: "formatter_transform_text",
        arguments: { text: `hello ${index}`, operation: "uppercase" },
      });
      expect(result.isError).toBeFalsy();
      expect(textOf(result)).toContain(`HELLO ${index}`);
    }
    const calls = await getDb().call.findMany({ where: { toolName: "formatter_transform_text" } });
    const aliceCalls = calls.filter((call) => call.userId === alice.userId);
    expect(aliceCalls).toHaveLength(3);
    expect(aliceCalls.every((call) => call.serverId === alice.serverId && call.status === "SUCCESS")).toBe(
      true,
    );
    expect(await getDb().call.count({ where: { userId: bob.userId } })).toBe(0);
    const aliceUsage = await getUsage(alice.userId);
    expect([aliceUsage.hour.used, aliceUsage.day.used, aliceUsage.month.used]).toEqual([3, 3, 3]);
    const after = await getUsage(bob.userId);
    expect(after.hour.used).toBe(before.hour.used);
    expect(after.month.used).toBe(0);
  });
});

describe("suspended accounts", () => {
  it("refuses to run a suspended user's tools, recording and counting nothing", async () => {
    const erin = await createTenant(platform.url, "erin");
    usedSecrets.push(erin.secret);
    // A plain database write, made by no domain module: the web process's cached snapshot of the
    // server, which carries the suspension, follows it by itself.
    await getDb().user.update({ where: { id: erin.userId }, data: { suspendedAt: new Date() } });
    const reply = await postRpc(
      erin.url,
      callRequest("formatter_transform_text", { text: "x", operation: "trim" }),
    );
    const result = responseOf(reply).result;
    expect(result?.isError).toBe(true);
    expect(textOf(result)).toMatch(/suspended/);
    expect(await getDb().call.count({ where: { userId: erin.userId } })).toBe(0);
    expect((await getUsage(erin.userId)).hour.used).toBe(0);

    await getDb().user.update({ where: { id: erin.userId }, data: { suspendedAt: null } });
    const again = responseOf(
      await postRpc(erin.url, callRequest("formatter_transform_text", { text: " x ", operation: "trim" })),
    );
    expect(again.result?.isError).toBeFalsy();
  });
});

describe("endpoint secrets", () => {
  async function expectUnauthorized(url: string, headers: Record<string, string> = {}) {
    const reply = await postRpc(url, initialize, headers);
    expect(reply.status).toBe(401);
    expect(reply.headers.get("www-authenticate")).toMatch(/^Bearer /);
    expect(responseOf(reply).error?.code).toBe(-32001);
  }

  it("refuses a wrong, a malformed and a missing secret with 401 and WWW-Authenticate", async () => {
    const wrong = generateServerSecret();
    usedSecrets.push(wrong);
    await expectUnauthorized(`${platform.url}/mcp/${wrong}`);
    await expectUnauthorized(`${platform.url}/mcp`, { Authorization: `Bearer ${wrong}` });
    await expectUnauthorized(`${platform.url}/mcp/not-a-secret`);
    await expectUnauthorized(`${platform.url}/mcp/${alice.secret.slice(0, -1)}`);
    await expectUnauthorized(`${platform.url}/mcp/${alice.secret}x`);
    await expectUnauthorized(`${platform.url}/mcp`, { Authorization: `Basic ${alice.secret}` });
    await expectUnauthorized(`${platform.url}/mcp`);
  });

  it("stops the old secret at once on rotation and accepts the new one", async () => {
    const carol = await createTenant(platform.url, "carol");
    usedSecrets.push(carol.secret);
    const client = await track(connectClient(platform.url, carol.secret));
    expect((await client.listTools()).tools.length).toBeGreaterThan(0); // the snapshot is now cached

    const rotated = await rotateServerSecret(carol.userId, carol.serverId);
    const newSecret = secretOfUrl(rotated.url);
    usedSecrets.push(newSecret);
    await expectUnauthorized(carol.url);
    await expectUnauthorized(`${platform.url}/mcp`, { Authorization: `Bearer ${carol.secret}` });
    await expect(client.listTools()).rejects.toThrow();

    const renewed = await track(connectClient(platform.url, newSecret, "bearer"));
    const result = await renewed.callTool({
      name: "formatter_transform_text",
      arguments: { text: "rotated", operation: "uppercase" },
    });
    expect(textOf(result)).toContain("ROTATED");
  });

  it("revokes a deleted server's secret at once", async () => {
    const dave = await createTenant(platform.url, "dave");
    usedSecrets.push(dave.secret);
    const client = await track(connectClient(platform.url, dave.secret));
    await client.listTools();
    await deleteServer(dave.userId, dave.serverId);
    await expectUnauthorized(dave.url);
    await expectUnauthorized(`${platform.url}/mcp`, { Authorization: `Bearer ${dave.secret}` });
  });

  it("never writes a secret to the platform's output, even on errors", async () => {
    // Errors that carry the secret in their request: a bad tool call, a bad body, a refused Origin.
    await postRpc(alice.url, callRequest("formatter_transform_text", { text: 1 }));
    await postRpc(alice.url, "{not json");
    await postRpc(alice.url, initialize, { Origin: "https://evil.example" });
    await postRpc(`${platform.url}/mcp`, initialize, { Authorization: `Bearer ${bob.secret}` });
    const output = platform.output();
    expect(output.length).toBeGreaterThan(0);
    for (const secret of usedSecrets) {
      expect(output).not.toContain(secret);
      expect(output).not.toContain(secret.slice(4)); // without its prefix
    }
  });
});
