// Cancelling a tools/call tells the truth (docs/security.md 17, 30): a call cancelled before its
// action starts never runs and uses no quota; once the action has started the call runs to its
// end, its effect happens once, a success counts, and the ledger, GET /api/v1/calls and the
// /history page say it was cancelled after it started. "Send a Slack message, cancel it, repeat"
// no longer sends messages for free. Slack is the local emulator, held mid-request to catch the
// action while it runs; the platform is the real one (web server, worker, Redis, PostgreSQL).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findIntegration } from "@/integrations/registry";
import { getDb } from "@/lib/db/client";
import { saveOAuthConnection } from "@/lib/oauth/save-connection";
import { toolCallJob } from "@/lib/queue/jobs/tool-call";
import { getQueue } from "@/lib/queue/queues";
import { getUsage } from "@/lib/quota/usage";
import { createApiToken } from "@/lib/tokens/api-tokens";
import { addTool, addToolSchema } from "@/lib/tools/manage-tools";
import { setLimitOverrides } from "@/lib/users/set-limit-overrides";
import type { Emulator } from "../emulators/emulator";
import { slackToken, startSlackEmulator } from "../emulators/slack";
import { signInOverHttp } from "../helpers/auth-http";
import { connectClient, createTenant, postRpc, responseOf, type Tenant, textOf } from "../helpers/mcp";
import { type RunningPlatform, startPlatform } from "../helpers/platform";
import { closeTestConnections } from "../helpers/teardown";

const password = "correct horse battery";
const tool = "slack_send_message";
let platform: RunningPlatform;
let slack: Emulator;

beforeAll(async () => {
  slack = await startSlackEmulator();
  platform = await startPlatform({
    env: {
      SLACK_API_URL: slack.url,
      SLACK_CLIENT_ID: "2141029472.691202649728",
      SLACK_CLIENT_SECRET: "e1b9e11dfcd19c1982d5de12921e17e8c",
    },
  });
});

afterAll(async () => {
  await getQueue(toolCallJob.queue)
    .resume()
    .catch(() => {});
  await platform?.stop();
  await slack?.stop();
  await closeTestConnections();
});

/** A user whose server has Slack's "Send channel message" on a connected workspace. */
async function slackTenant(label: string): Promise<Tenant> {
  const tenant = await createTenant(platform.url, label, []);
  const connection = await saveOAuthConnection(tenant.userId, findIntegration("slack")!, {
    accessToken: slackToken,
    tokenType: "bot",
    extra: { "team.id": "T0ACME0001", "team.name": "Acme" },
  });
  await addTool(
    tenant.userId,
    tenant.serverId,
    addToolSchema.parse({ integration: "slack", action: "send_message", connectionId: connection.id }),
  );
  return tenant;
}

const postedTexts = () =>
  slack.requestsTo("POST /chat.postMessage").map((request) => (request.body as { text: string }).text);

async function usageOf(userId: string) {
  const usage = await getUsage(userId);
  return { hour: usage.hour.used, day: usage.day.used, month: usage.month.used };
}

async function newestCall(userId: string) {
  return getDb().call.findFirst({ where: { userId }, orderBy: { startedAt: "desc" } });
}

const callMessage = (id: number, text: string) => ({
  jsonrpc: "2.0",
  id,
  method: "tools/call",
  params: { name: tool, arguments: { channel: "C0GENERAL1", text } },
});

const cancelMessage = (requestId: number) => ({
  jsonrpc: "2.0",
  method: "notifications/cancelled",
  params: { requestId, reason: "the user pressed stop" },
});

describe("a call cancelled before its action starts", () => {
  it("never runs: cancelled in the history, no quota used, the worker later leaves it alone", async () => {
    const tenant = await slackTenant("cancel-before");
    const queue = getQueue(toolCallJob.queue);
    await queue.pause();
    try {
      const reply = postRpc(tenant.url, callMessage(101, "never sent"));
      // Admitted and queued, but no worker may take it while the queue is paused.
      await expect.poll(async () => (await newestCall(tenant.userId))?.status).toBe("PENDING");
      const callId = (await newestCall(tenant.userId))!.id;
      await expect.poll(async () => (await queue.getJob(callId))?.id).toBe(callId);

      const cancel = await postRpc(tenant.url, cancelMessage(101));
      expect(cancel.status).toBe(202);
      const answer = responseOf(await reply);
      expect(answer.result?.isError).toBe(true);
      expect(textOf(answer.result)).toBe(
        "The call was cancelled before its action started; no quota was used.",
      );

      const row = await getDb().call.findUniqueOrThrow({ where: { id: callId } });
      expect(row).toMatchObject({ status: "ERROR", errorCode: "cancelled", counted: false });
      expect(row.errorMessage).toMatch(/before its action started; nothing ran/);
      expect(row.cancelRequestedAt).not.toBeNull();
      expect(await usageOf(tenant.userId)).toEqual({ hour: 0, day: 0, month: 0 });

      // The job is still queued; once a worker takes it, it must not run the action.
      await queue.resume();
      await expect.poll(async () => (await queue.getJob(callId))?.getState()).toBe("completed");
      expect(postedTexts()).not.toContain("never sent");
      expect(await getDb().call.findUniqueOrThrow({ where: { id: callId } })).toMatchObject({
        status: "ERROR",
        errorCode: "cancelled",
        counted: false,
      });
      expect(await usageOf(tenant.userId)).toEqual({ hour: 0, day: 0, month: 0 });
    } finally {
      await queue.resume();
    }
  });
});

describe("a call cancelled after its action started", () => {
  it("runs to its end: the message is sent once, the call counts, and history says what happened", async () => {
    const tenant = await slackTenant("cancel-after");
    const held = slack.holdNext("POST /chat.postMessage");
    const reply = postRpc(tenant.url, callMessage(202, "sent despite the cancel"));
    await held.received; // Slack has the request: the action has started

    const cancel = await postRpc(tenant.url, cancelMessage(202));
    expect(cancel.status).toBe(202);
    // The client that cancelled gets the cancellation's answer without waiting for the action.
    const answer = responseOf(await reply);
    expect(answer.result?.isError).toBe(true);
    expect(textOf(answer.result)).toMatch(
      /cancelled, but its action had already started, so it runs to its end/,
    );
    const running = (await newestCall(tenant.userId))!;
    expect(running.status).toBe("PENDING");
    expect(running.cancelRequestedAt).not.toBeNull();

    held.release();
    await expect.poll(async () => (await newestCall(tenant.userId))?.status).toBe("SUCCESS");
    const row = (await newestCall(tenant.userId))!;
    expect(row).toMatchObject({ counted: true, errorCode: null });
    expect(row.output).toMatchObject({ channel: "C0GENERAL1", text: "sent despite the cancel" });
    expect(postedTexts().filter((text) => text === "sent despite the cancel")).toHaveLength(1);
    expect(await usageOf(tenant.userId)).toEqual({ hour: 1, day: 1, month: 1 });

    // The REST API and the history page tell the same story.
    const { token } = await createApiToken(tenant.userId, { name: "history check" });
    const calls = (await (
      await fetch(`${platform.url}/api/v1/calls`, { headers: { Authorization: `Bearer ${token}` } })
    ).json()) as { id: string; status: string; cancelRequestedAt: string | null }[];
    expect(calls).toEqual([
      expect.objectContaining({
        id: row.id,
        status: "SUCCESS",
        cancelRequestedAt: row.cancelRequestedAt!.toISOString(),
      }),
    ]);
    const { code, jar } = await signInOverHttp(platform.url, tenant.email, password);
    expect(code).toBeNull();
    const page = await (await fetch(`${platform.url}/history`, { headers: { cookie: jar.header() } })).text();
    expect(page).toContain("Cancelled after it started");
    expect(page).toContain("Cancelled by the client after it started; it ran to its end and succeeded.");
  });
});

describe("send a message, cancel it, repeat (once a way to send messages for free)", () => {
  it("counts every message that was sent, so the hourly limit still binds", async () => {
    const tenant = await slackTenant("cancel-repeat");
    await setLimitOverrides(tenant.userId, { hour: 3 });
    const client = await connectClient(platform.url, tenant.secret);
    try {
      for (let round = 1; round <= 3; round++) {
        const held = slack.holdNext("POST /chat.postMessage");
        const controller = new AbortController();
        const call = client.callTool(
          { name: tool, arguments: { channel: "C0GENERAL1", text: `repeat ${round}` } },
          undefined,
          { signal: controller.signal },
        );
        await held.received;
        controller.abort("the user pressed stop");
        await expect(call).rejects.toThrow();
        await expect.poll(async () => (await newestCall(tenant.userId))?.cancelRequestedAt).not.toBeNull();
        held.release();
        await expect.poll(async () => (await newestCall(tenant.userId))?.status).toBe("SUCCESS");
      }
      const fourth = await client.callTool({
        name: tool,
        arguments: { channel: "C0GENERAL1", text: "repeat 4" },
      });
      expect(textOf(fourth)).toMatch(/hourly limit of 3 tool calls is used up/);
    } finally {
      await client.close();
    }
    expect(postedTexts().filter((text) => text.startsWith("repeat "))).toEqual([
      "repeat 1",
      "repeat 2",
      "repeat 3",
    ]);
    expect(await usageOf(tenant.userId)).toEqual({ hour: 3, day: 3, month: 3 });
    const rows = await getDb().call.findMany({
      where: { userId: tenant.userId },
      orderBy: { startedAt: "asc" },
    });
    expect(rows.map((row) => [row.status, row.counted, row.cancelRequestedAt !== null])).toEqual([
      ["SUCCESS", true, true],
      ["SUCCESS", true, true],
      ["SUCCESS", true, true],
      ["REFUSED", false, false],
    ]);
  });
});
