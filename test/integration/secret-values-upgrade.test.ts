// An upgrade from a version that stored fixed values of secret fields (the HTTP request's headers,
// a webhook's URL) in clear in Tool.fields: until the worker seals them they are never shown or
// cached, and the worker seals them when it starts, before it takes a call; the call then sends
// the value it sealed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { admitCall } from "@/lib/calls/admit-call";
import { getDb } from "@/lib/db/client";
import { createServer } from "@/lib/servers/manage-servers";
import { resolveServerBySecret } from "@/lib/servers/snapshot-cache";
import { listTools } from "@/lib/tools/manage-tools";
import { createUser } from "@/lib/users/create-user";
import { open } from "@/lib/vault/vault";
import type { Emulator } from "../emulators/emulator";
import { startHttpEmulator } from "../emulators/http";
import { startWebhookEmulator } from "../emulators/webhook";
import { type AppHarness, startAppHarness } from "../helpers/app-harness";
import { secretOfUrl, uniqueEmail } from "../helpers/mcp";

const token = "legacy-token-5f1e2d3c4b5a";
let http: Emulator;
let webhook: Emulator;
let harness: AppHarness | undefined;
let userId: string;
let serverSecret: string;
let headerToolId: string;
let webhookToolId: string;
let shownBeforeUpgrade: string;

beforeAll(async () => {
  [http, webhook] = await Promise.all([startHttpEmulator(), startWebhookEmulator()]);
  userId = (await createUser({ email: uniqueEmail("upgrade"), password: "correct horse battery" })).id;
  const server = await createServer(userId, "Upgraded");
  serverSecret = secretOfUrl(server.url);
  // Rows as the earlier version wrote them.
  const db = getDb();
  headerToolId = (
    await db.tool.create({
      data: {
        serverId: server.id,
        integration: "http",
        action: "request",
        name: "legacy_request",
        fields: {
          url: { mode: "fixed", value: `${http.url}/headers` },
          headers: { mode: "fixed", value: { Authorization: `Bearer ${token}` } },
        },
      },
    })
  ).id;
  webhookToolId = (
    await db.tool.create({
      data: {
        serverId: server.id,
        integration: "webhook",
        action: "post_json",
        name: "legacy_hook",
        fields: { url: { mode: "fixed", value: `${webhook.url}/hooks/orders?token=${token}` } },
      },
    })
  ).id;
  shownBeforeUpgrade = JSON.stringify([
    await listTools(userId, server.id),
    await resolveServerBySecret(serverSecret),
  ]);
  // The worker seals when it starts.
  harness = await startAppHarness({ HTTP_ALLOWED_PRIVATE_CIDRS: "127.0.0.1/32" });
}, 120_000);

afterAll(async () => {
  await harness?.stop();
  await Promise.all([http?.stop(), webhook?.stop()]);
});

async function callTool(toolId: string, args: Record<string, unknown>) {
  const snapshot = await resolveServerBySecret(serverSecret);
  const tool = snapshot?.tools.find((candidate) => candidate.id === toolId);
  if (!snapshot || !tool) throw new Error("the tool is not in the server's snapshot");
  return admitCall(snapshot, tool, args, { signal: new AbortController().signal });
}

describe("secret field values stored in clear by an earlier version", () => {
  it("are neither shown nor cached before the worker seals them", () => {
    expect(shownBeforeUpgrade).not.toContain(token);
    expect(shownBeforeUpgrade).toContain('"headers":{"mode":"fixed","secret":true}');
  });

  it("are sealed by the worker when it starts, and gone from the tool's settings", async () => {
    expect(harness?.worker.output()).toContain("sealed the secret field values stored in clear");
    const tools = await getDb().tool.findMany({
      where: { id: { in: [headerToolId, webhookToolId] } },
      include: { sealedValues: true },
    });
    expect(JSON.stringify(tools.map((tool) => tool.fields))).not.toContain(token);
    const headerTool = tools.find((tool) => tool.id === headerToolId)!;
    expect(headerTool.fields).toEqual({
      url: { mode: "fixed", value: `${http.url}/headers` },
      headers: { mode: "fixed", secret: true },
    });
    const sealed = headerTool.sealedValues[0]!;
    expect(Buffer.from(sealed.ciphertext).includes(token)).toBe(false);
    expect(await open(sealed.ciphertext, { userId, toolId: headerToolId, field: "headers" })).toEqual({
      Authorization: `Bearer ${token}`,
    });
    expect(tools.find((tool) => tool.id === webhookToolId)?.sealedValues.map((row) => row.field)).toEqual([
      "url",
    ]);
  });

  it("reach their destination from the sealed copy, and are masked in the result and the ledger", async () => {
    const answer = await callTool(headerToolId, {});
    expect(answer.status, JSON.stringify(answer)).toBe("succeeded");
    expect(http.requestsTo("GET /headers").at(-1)?.headers.authorization).toBe(`Bearer ${token}`);
    // The server echoed the header back: the result shows it masked.
    expect(JSON.stringify(answer)).not.toContain(token);
    expect(answer).toMatchObject({ output: { body: { headers: { authorization: "[redacted]" } } } });

    const hook = await callTool(webhookToolId, { payload: { order: 7 } });
    expect(hook.status, JSON.stringify(hook)).toBe("succeeded");
    expect(webhook.requestsTo("POST /hooks/:name").at(-1)?.query.get("token")).toBe(token);

    const calls = await getDb().call.findMany({ where: { userId } });
    expect(calls.map((call) => call.status)).toEqual(["SUCCESS", "SUCCESS"]);
    expect(JSON.stringify(calls)).not.toContain(token);
    expect(calls.map((call) => call.input)).toContainEqual(
      expect.objectContaining({ url: "[secret]", payload: { order: 7 } }),
    );
  });
});
