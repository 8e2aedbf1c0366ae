// "Try it" before saving: the tool editor's settings run once through the real call path (quota,
// ledger, the worker process), recorded as a draft's call, with nothing saved; settings that
// would not save are refused with saving's own error, and an empty required field is refused
// before any call.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listCalls } from "@/lib/calls/list-calls";
import { getDb } from "@/lib/db/client";
import { getUsage } from "@/lib/quota/usage";
import { createServer } from "@/lib/servers/manage-servers";
import { addTool, addToolSchema, type ToolDraft, toolDraftSchema } from "@/lib/tools/manage-tools";
import { runToolDraftOnce, runToolOnce } from "@/lib/tools/run-tool-once";
import type { Emulator } from "../emulators/emulator";
import { startTrelloEmulator, trelloIds, trelloKey, trelloToken } from "../emulators/trello";
import { type AppHarness, startAppHarness } from "../helpers/app-harness";

let emulator: Emulator;
let harness: AppHarness;
let serverId: string;

const shout = (overrides: Partial<ToolDraft> = {}): ToolDraft =>
  toolDraftSchema.parse({
    integration: "formatter",
    action: "transform_text",
    name: "shout_draft",
    fields: { operation: { mode: "fixed", value: "uppercase" } },
    ...overrides,
  });

beforeAll(async () => {
  emulator = await startTrelloEmulator();
  harness = await startAppHarness({ TRELLO_API_URL: emulator.url });
  serverId = (await createServer(harness.userId, "Drafts")).id;
}, 120_000);

afterAll(async () => {
  await harness?.stop();
  await emulator?.stop();
});

const callsOf = () =>
  getDb().call.findMany({ where: { userId: harness.userId }, orderBy: { startedAt: "desc" } });

describe("runToolDraftOnce", () => {
  it("runs a new tool's settings on the worker, counts the call and records it as a draft's; saves nothing", async () => {
    const usedBefore = (await getUsage(harness.userId)).hour.used;
    const outcome = await runToolDraftOnce(harness.userId, serverId, shout(), { text: "hello" });
    expect(outcome).toEqual({ status: "succeeded", output: { result: "HELLO" } });
    const [call] = await callsOf();
    expect(call).toMatchObject({
      serverId,
      toolId: null,
      toolName: "shout_draft",
      draft: true,
      status: "SUCCESS",
      counted: true,
      input: { text: "hello", operation: "uppercase" },
    });
    expect((await getUsage(harness.userId)).hour.used).toBe(usedBefore + 1);
    // GET /api/v1/calls (and the admin's recent calls) say so too.
    expect((await listCalls(harness.userId, { limit: 1 }))[0]).toMatchObject({
      toolName: "shout_draft",
      draft: true,
    });
    expect(await getDb().tool.count({ where: { serverId } })).toBe(0);
  });

  it("runs a saved tool's unsaved changes, leaving the saved tool as it was", async () => {
    const saved = await addTool(
      harness.userId,
      serverId,
      addToolSchema.parse({ ...shout(), name: "shout_saved" }),
    );
    const changed = shout({
      toolId: saved.id,
      name: "shout_saved",
      fields: { operation: { mode: "fixed", value: "lowercase" } },
    });
    const outcome = await runToolDraftOnce(harness.userId, serverId, changed, { text: "HeLLo" });
    expect(outcome).toEqual({ status: "succeeded", output: { result: "hello" } });
    const [call] = await callsOf();
    expect(call).toMatchObject({ toolId: saved.id, draft: true, input: { operation: "lowercase" } });
    const stored = await getDb().tool.findUniqueOrThrow({ where: { id: saved.id } });
    expect(stored.fields).toEqual({ operation: { mode: "fixed", value: "uppercase" } });
    // The saved tool, tried as saved, is not a draft's call.
    await runToolOnce(harness.userId, serverId, saved.id, { text: "x" });
    expect((await callsOf())[0]).toMatchObject({ toolId: saved.id, draft: false });
  });

  it("seals a secret typed but not saved with the call, and masks it in the history", async () => {
    const secret = "hush-hush-value";
    const draft = shout({
      name: "whisper",
      fields: { text: { mode: "fixed", value: secret, secret: true } },
    });
    const outcome = await runToolDraftOnce(harness.userId, serverId, draft, { operation: "lowercase" });
    expect(outcome).toMatchObject({ status: "succeeded" });
    const [call] = await callsOf();
    expect(call?.input).toEqual({ text: "[secret]", operation: "lowercase" });
    expect(JSON.stringify(call?.output)).not.toContain(secret);
    expect(call?.sealedInput).toBeNull();
  });

  it("refuses settings that would not save with saving's own error, before any call", async () => {
    const before = (await callsOf()).length;
    const omitted = { text: { mode: "omit" as const } };
    const saveError = await addTool(
      harness.userId,
      serverId,
      addToolSchema.parse({ ...shout(), name: "never_saved", fields: omitted }),
    ).catch((error: unknown) => error);
    await expect(runToolDraftOnce(harness.userId, serverId, shout({ fields: omitted }), {})).rejects.toEqual(
      saveError,
    );
    expect(saveError).toMatchObject({ code: "validation_failed", details: { field: "text" } });

    await expect(
      runToolDraftOnce(harness.userId, serverId, shout({ name: "shout_saved" }), { text: "x" }),
    ).rejects.toMatchObject({
      code: "conflict",
      message: 'This server already has a tool named "shout_saved".',
    });
    await expect(
      runToolDraftOnce(harness.userId, serverId, shout({ connectionId: "conn_1" }), { text: "x" }),
    ).rejects.toMatchObject({ code: "validation_failed", details: { field: "connectionId" } });
    await expect(
      runToolDraftOnce(harness.userId, serverId, shout({ toolId: "no-such-tool" }), { text: "x" }),
    ).rejects.toMatchObject({ code: "not_found" });
    expect((await callsOf()).length).toBe(before);
  });

  it("refuses an empty required field by its name, saved or not, before any call", async () => {
    const before = (await callsOf()).length;
    for (const args of [{ text: "" }, { text: "   " }, {}])
      await expect(runToolDraftOnce(harness.userId, serverId, shout(), args)).rejects.toMatchObject({
        code: "validation_failed",
        message: expect.stringContaining('"text" is required'),
        details: { field: "args.text" },
      });
    const saved = (await getDb().tool.findFirstOrThrow({ where: { serverId, name: "shout_saved" } })).id;
    await expect(runToolOnce(harness.userId, serverId, saved, { text: "" })).rejects.toMatchObject({
      details: { field: "args.text" },
    });
    expect((await callsOf()).length).toBe(before);
  });

  it("runs with the account chosen in the editor, not the saved tool's", async () => {
    await harness.connectWithKey("trello", { api_key: trelloKey, token: trelloToken }, "Works");
    const wrong = await harness.connectWithKey(
      "trello",
      { api_key: trelloKey, token: `${trelloToken}-revoked` },
      "Revoked",
    );
    const listCards = {
      integration: "trello",
      action: "list_cards",
      fields: { list_id: { mode: "fixed", value: trelloIds.todo } },
    };
    const pinned = await addTool(
      harness.userId,
      serverId,
      addToolSchema.parse({ ...listCards, name: "cards", connectionId: wrong }),
    );
    const onDefault = toolDraftSchema.parse({
      ...listCards,
      toolId: pinned.id,
      name: "cards",
      connectionId: null,
    });
    expect(await runToolDraftOnce(harness.userId, serverId, onDefault, {})).toMatchObject({
      status: "succeeded",
    });
    const onWrong = toolDraftSchema.parse({ ...listCards, name: "cards_new", connectionId: wrong });
    expect(await runToolDraftOnce(harness.userId, serverId, onWrong, {})).toMatchObject({
      status: "failed",
      code: "reconnect_needed",
    });
    expect((await callsOf())[0]).toMatchObject({ draft: true, draftConnectionId: wrong, status: "ERROR" });
  });
});
