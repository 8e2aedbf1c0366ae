// The worker runs a call's real input, whatever the ledger keeps for display: arguments far over
// the ledger's 64 KiB cap run whole, the sealed input is gone once the call finishes, and an input
// the worker cannot run is refused in words, never with a validation dump. Through admitCall
// and the real worker process (app-harness), on the run's PostgreSQL and Redis.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sealCallInput } from "@/lib/calls/call-input";
import { createPendingCall } from "@/lib/calls/ledger";
import { maxStoredBytes } from "@/lib/calls/payload-limits";
import { getDb } from "@/lib/db/client";
import { toolCallJob } from "@/lib/queue/jobs/tool-call";
import { enqueueJob } from "@/lib/queue/queues";
import { addTool, addToolSchema } from "@/lib/tools/manage-tools";
import { type AppHarness, startAppHarness } from "../helpers/app-harness";

let harness: AppHarness;

beforeAll(async () => {
  harness = await startAppHarness({});
}, 120_000);

afterAll(async () => {
  await harness?.stop();
});

/** A call recorded as admitCall records it, with this sealed input, run by the worker. */
async function runPendingCall(
  tool: { id: string; name: string; serverId: string },
  action: string,
  input: Record<string, unknown>,
  sealedFields: Record<string, { mode: "fixed"; secret: true }> = {},
) {
  const call = {
    id: randomUUID(),
    userId: harness.userId,
    serverId: tool.serverId,
    toolId: tool.id,
    toolName: tool.name,
    integration: "formatter",
    action,
    input: {},
    startedAt: new Date(),
  };
  await createPendingCall({ ...call, sealedInput: await sealCallInput(call, sealedFields, input) });
  await enqueueJob(toolCallJob, { callId: call.id }, { jobId: call.id });
  for (let tries = 0; tries < 300; tries++) {
    const row = await getDb().call.findUniqueOrThrow({ where: { id: call.id } });
    if (row.status !== "PENDING") return row;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("the worker did not finish the call");
}

async function givenTool(action: string, fields: Record<string, unknown> = {}) {
  const server = await getDb().mcpServer.findFirstOrThrow({ where: { userId: harness.userId } });
  const tool = await addTool(
    harness.userId,
    server.id,
    addToolSchema.parse({
      integration: "formatter",
      action,
      name: `${action}_${randomUUID().slice(0, 8)}`,
      fields,
    }),
  );
  return { id: tool.id, name: tool.name, serverId: server.id };
}

describe("a call's input", () => {
  it("runs whole when it is far over the ledger's cap, and the ledger keeps a capped copy", async () => {
    const line = `${"word ".repeat(199)}ends\n`; // 1,000 characters
    const text = line.repeat(205); // 205,000 characters, over 200 KiB
    const result = await harness.call("formatter", "count_text", { text });
    expect(result.isError, result.text).toBe(false);
    expect(result.output).toEqual({ characters: 205_000, words: 205 * 200, lines: 206 });

    const call = await getDb().call.findFirstOrThrow({
      where: { userId: harness.userId, action: "count_text" },
      orderBy: { startedAt: "desc" },
    });
    expect(call.status).toBe("SUCCESS");
    expect(call.input).toMatchObject({ truncated: true, bytes: expect.any(Number) });
    expect((call.input as { bytes: number }).bytes).toBeGreaterThan(200 * 1024);
    expect(JSON.stringify(call.input).length).toBeLessThan(maxStoredBytes);
    // Kept only while the call ran.
    expect(call.sealedInput).toBeNull();
  });

  it("is refused in words, naming the argument, when the action's schema refuses it at the worker", async () => {
    const tool = await givenTool("count_text");
    const call = await runPendingCall(tool, "count_text", { text: 42 });
    expect(call.status).toBe("ERROR");
    expect(call.errorCode).toBe("invalid_input");
    expect(call.errorMessage).toBe(
      "Invalid arguments. text: Invalid input: expected string, received number.",
    );
    expect(call.sealedInput).toBeNull();
  });

  it("does not run when the tool's secret values it needs are gone, nor without a sealed input", async () => {
    const tool = await givenTool("transform_text", {
      operation: { mode: "fixed", value: "uppercase", secret: true },
    });
    // The secret value is taken away while the call waits: the owner made the field the AI's.
    await getDb().sealedFieldValue.deleteMany({ where: { toolId: tool.id } });
    const call = await runPendingCall(
      tool,
      "transform_text",
      { text: "hello" },
      {
        operation: { mode: "fixed", secret: true },
      },
    );
    expect(call).toMatchObject({ status: "ERROR", errorCode: "input_unavailable" });
    expect(call.errorMessage).toContain("secret values changed or were removed");

    // A call recorded by a version that kept no sealed input (an upgrade with calls in flight).
    const legacy = { id: randomUUID(), userId: harness.userId, toolName: tool.name };
    await getDb().call.create({
      data: {
        ...legacy,
        serverId: tool.serverId,
        toolId: tool.id,
        integration: "formatter",
        action: "count_text",
        input: { text: "hi" },
        status: "PENDING",
        counted: true,
      },
    });
    await enqueueJob(toolCallJob, { callId: legacy.id }, { jobId: legacy.id });
    await expect
      .poll(async () => (await getDb().call.findUniqueOrThrow({ where: { id: legacy.id } })).errorCode, {
        timeout: 30_000,
      })
      .toBe("input_unavailable");
  });

  it("runs with the tool's sealed value, which the ledger shows masked", async () => {
    const tool = await givenTool("transform_text", {
      operation: { mode: "fixed", value: "uppercase", secret: true },
    });
    const stored = await getDb().tool.findUniqueOrThrow({
      where: { id: tool.id },
      include: { sealedValues: true },
    });
    expect(stored.fields).toEqual({ operation: { mode: "fixed", secret: true } });
    expect(stored.sealedValues.map((row) => row.field)).toEqual(["operation"]);
    expect(Buffer.from(stored.sealedValues[0]!.ciphertext).includes("uppercase")).toBe(false);

    const result = await harness.call(
      "formatter",
      "transform_text",
      { text: "hello" },
      {
        fields: { operation: { mode: "fixed", value: "uppercase", secret: true } },
      },
    );
    expect(result.output).toEqual({ result: "HELLO" });
    const call = await getDb().call.findFirstOrThrow({
      where: { userId: harness.userId, action: "transform_text", status: "SUCCESS" },
      orderBy: { startedAt: "desc" },
    });
    expect(call.input).toEqual({ text: "hello", operation: "[secret]" });
  });
});
