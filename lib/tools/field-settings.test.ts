import { describe, expect, it } from "vitest";
import { z } from "zod";
import { findAction, integrations } from "@/integrations/registry";
import { type ActionDefinition, defineAction, secretField } from "@/integrations/sdk/define";
import { unstorableTextMessage } from "@/lib/db/storable-text";
import { AppError } from "@/lib/errors/app-error";
import {
  buildActionInput,
  buildAiInputSchema,
  buildToolInputSchema,
  type FieldSettings,
  fieldSettingsSchema,
  hideClearSecretValues,
  listMaskedFields,
  listSecretFields,
  narrowToolInputSchema,
  separateSecretValues,
  validateFieldSettings,
} from "./field-settings";

const sendMessage = defineAction({
  key: "send_message",
  title: "Send message",
  description: "Post a message to a channel.",
  input: z.object({
    channel: z.string().min(1).describe("Channel id, like C123."),
    text: z.string().describe("The message."),
    priority: z.enum(["low", "normal", "high"]).default("normal").describe("How urgent it is."),
    silent: z.boolean().optional().describe("Send without a notification."),
  }),
  annotations: { readOnly: false, destructive: false, idempotent: false, openWorld: true },
  run: async () => ({}),
});

function validationError(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("validation_failed");
    return error as AppError;
  }
  throw new Error("expected a validation error");
}

describe("validateFieldSettings", () => {
  it("accepts ai, fixed and omit, and drops ai entries (the default)", () => {
    expect(
      validateFieldSettings(sendMessage, {
        channel: { mode: "fixed", value: "C123" },
        text: { mode: "ai" },
        silent: { mode: "omit" },
      }),
    ).toEqual({ channel: { mode: "fixed", value: "C123" }, silent: { mode: "omit" } });
  });

  it("refuses to omit a required field, naming it", () => {
    const error = validationError(() => validateFieldSettings(sendMessage, { text: { mode: "omit" } }));
    expect(error.message).toContain('"text" is required');
    expect(error.details).toEqual({ field: "text" });
  });

  it("allows omitting a field that has a default or is optional", () => {
    expect(
      validateFieldSettings(sendMessage, { priority: { mode: "omit" }, silent: { mode: "omit" } }),
    ).toEqual({ priority: { mode: "omit" }, silent: { mode: "omit" } });
  });

  it("validates a fixed value against the field's own schema", () => {
    expect(
      validationError(() => validateFieldSettings(sendMessage, { channel: { mode: "fixed", value: "" } }))
        .message,
    ).toContain('fixed value of "channel"');
    expect(() =>
      validateFieldSettings(sendMessage, { priority: { mode: "fixed", value: "urgent" } }),
    ).toThrow(/priority/);
    expect(() => validateFieldSettings(sendMessage, { silent: { mode: "fixed", value: "yes" } })).toThrow(
      /silent/,
    );
  });

  it("refuses settings for fields the action does not have", () => {
    expect(
      validationError(() => validateFieldSettings(sendMessage, { colour: { mode: "ai" } })).message,
    ).toContain("channel, text, priority, silent");
  });
});

describe("the AI's input", () => {
  const settings = validateFieldSettings(sendMessage, {
    channel: { mode: "fixed", value: "C123" },
    silent: { mode: "omit" },
  });

  it("merges fixed values into the AI's arguments and applies defaults", () => {
    expect(buildActionInput(sendMessage, settings, { text: "hi" })).toEqual({
      channel: "C123",
      text: "hi",
      priority: "normal",
    });
  });

  it("refuses an argument that overrides a fixed field or sets an omitted one", () => {
    expect(() => buildActionInput(sendMessage, settings, { text: "hi", channel: "C999" })).toThrow(
      z.ZodError,
    );
    expect(() => buildActionInput(sendMessage, settings, { text: "hi", silent: true })).toThrow(z.ZodError);
    expect(buildAiInputSchema(sendMessage, settings).safeParse({ text: "hi", extra: 1 }).success).toBe(false);
  });

  it("applies a tool's changed settings from the next call on, and each tool's own to its calls", () => {
    const channelFor = (fields: FieldSettings) =>
      buildActionInput(sendMessage, fields, { text: "hi" }).channel;
    const changed = validateFieldSettings(sendMessage, { channel: { mode: "fixed", value: "C456" } });
    expect([channelFor(settings), channelFor(changed), channelFor(settings)]).toEqual([
      "C123",
      "C456",
      "C123",
    ]);
    const toAi = validateFieldSettings(sendMessage, {});
    expect(buildActionInput(sendMessage, toAi, { text: "hi", channel: "C789", silent: true })).toMatchObject({
      channel: "C789",
      silent: true,
    });
    expect(() => buildActionInput(sendMessage, settings, { text: "hi", channel: "C789" })).toThrow(
      z.ZodError,
    );
  });

  it("refuses missing and wrongly typed arguments", () => {
    expect(() => buildActionInput(sendMessage, settings, {})).toThrow(z.ZodError);
    expect(() => buildActionInput(sendMessage, settings, { text: 5 })).toThrow(z.ZodError);
    expect(() => buildActionInput(sendMessage, settings, undefined)).toThrow(z.ZodError);
  });

  it("refuses an argument holding text the call ledger cannot store (a NUL, an unpaired surrogate), naming it", () => {
    for (const text of ["hi\u0000", "\ud800"]) {
      let thrown: unknown;
      try {
        buildActionInput(sendMessage, settings, { text });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(z.ZodError);
      expect((thrown as z.ZodError).issues).toEqual([
        expect.objectContaining({ path: ["text"], message: unstorableTextMessage }),
      ]);
    }
  });

  it("describes only the AI fields in JSON Schema, with descriptions, enums and defaults", () => {
    const schema = buildToolInputSchema(sendMessage, settings);
    expect(schema.type).toBe("object");
    expect(Object.keys(schema.properties ?? {}).sort()).toEqual(["priority", "text"]);
    expect(schema.required).toEqual(["text"]);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.$schema).toBeUndefined();
    expect(schema.properties?.text).toMatchObject({ type: "string", description: "The message." });
    expect(schema.properties?.priority).toMatchObject({
      enum: ["low", "normal", "high"],
      default: "normal",
      description: "How urgent it is.",
    });
  });

  it("lists every field when all are left to the AI", () => {
    const schema = buildToolInputSchema(sendMessage, {});
    expect(Object.keys(schema.properties ?? {}).sort()).toEqual(["channel", "priority", "silent", "text"]);
    expect(schema.required?.sort()).toEqual(["channel", "text"]);
  });
});

describe("narrowToolInputSchema (the web form's preview)", () => {
  // The schema as MCP clients got it before the pure narrowing existed: the zod object picked
  // down to the AI fields, then converted. Both must agree, key order included.
  function reference(action: ActionDefinition, settings: FieldSettings): unknown {
    const { $schema: _dialect, ...schema } = z.toJSONSchema(buildAiInputSchema(action, settings), {
      io: "input",
      unrepresentable: "any",
    }) as Record<string, unknown>;
    return schema;
  }

  it("gives exactly the server's inputSchema for every action and field mode", () => {
    let compared = 0;
    for (const integration of integrations) {
      for (const action of integration.actions as ActionDefinition[]) {
        const names = Object.keys(action.input.shape);
        const full = buildToolInputSchema(action, {});
        const variants: FieldSettings[] = [
          {},
          Object.fromEntries(names.map((name) => [name, { mode: "omit" as const }])),
          ...names.map((name) => ({ [name]: { mode: "fixed" as const, value: null } })),
          Object.fromEntries(
            names.filter((_, index) => index % 2 === 0).map((name) => [name, { mode: "omit" as const }]),
          ),
        ];
        for (const settings of variants) {
          expect(JSON.stringify(narrowToolInputSchema(full, settings))).toBe(
            JSON.stringify(reference(action, settings)),
          );
          expect(JSON.stringify(buildToolInputSchema(action, settings))).toBe(
            JSON.stringify(reference(action, settings)),
          );
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
  });

  it("drops `required` when no required field is left to the AI", () => {
    const schema = narrowToolInputSchema(buildToolInputSchema(sendMessage, {}), {
      channel: { mode: "fixed", value: "C1" },
      text: { mode: "fixed", value: "hi" },
    });
    expect(schema).toEqual({
      type: "object",
      properties: {
        priority: expect.objectContaining({ default: "normal" }),
        silent: expect.objectContaining({ type: "boolean" }),
      },
      additionalProperties: false,
    });
  });
});

describe("secret fixed values", () => {
  const callWebhook = defineAction({
    key: "call_webhook",
    title: "Call webhook",
    description: "POST to a webhook.",
    input: z.object({
      url: secretField(z.url().describe("The webhook's URL.")),
      note: z.string().optional().describe("A note."),
      retries: z.number().int().default(1),
    }),
    annotations: { readOnly: false, destructive: false, idempotent: false, openWorld: true },
    run: async () => ({}),
  });

  it("knows the fields an action declares secret, the HTTP request's headers and the webhook's URL among them", () => {
    expect([...listSecretFields(callWebhook)]).toEqual(["url"]);
    expect([...listSecretFields(findAction("http", "request")!.action)]).toEqual(["headers"]);
    expect([...listSecretFields(findAction("webhook", "post_json")!.action)].sort()).toEqual([
      "headers",
      "url",
    ]);
    expect(listSecretFields(sendMessage).size).toBe(0);
    // MCP clients see it as JSON Schema's writeOnly.
    expect(buildToolInputSchema(callWebhook, {}).properties?.url).toMatchObject({ writeOnly: true });
  });

  it("marks a fixed value of a secret field secret, and keeps one its owner marks secret", () => {
    expect(
      validateFieldSettings(callWebhook, {
        url: { mode: "fixed", value: "https://hooks.example.com/abc" },
        note: { mode: "fixed", value: "private note", secret: true },
        retries: { mode: "fixed", value: 2, secret: false },
      }),
    ).toEqual({
      url: { mode: "fixed", value: "https://hooks.example.com/abc", secret: true },
      note: { mode: "fixed", value: "private note", secret: true },
      retries: { mode: "fixed", value: 2 },
    });
  });

  it("keeps a sealed value when none is given, only if one is stored", () => {
    expect(
      validateFieldSettings(callWebhook, { url: { mode: "fixed", secret: true } }, new Set(["url"])),
    ).toEqual({ url: { mode: "fixed", secret: true } });
    const error = validationError(() =>
      validateFieldSettings(callWebhook, { url: { mode: "fixed", secret: true } }),
    );
    expect(error.message).toBe(
      'The fixed value of "url" is not valid: no secret value is stored yet, so give one.',
    );
    expect(error.details).toEqual({ field: "url" });
    expect(fieldSettingsSchema.safeParse({ note: { mode: "fixed" } }).success).toBe(false);
  });

  it("stores secret values apart from the settings", () => {
    const settings = validateFieldSettings(
      callWebhook,
      {
        url: { mode: "fixed", secret: true },
        note: { mode: "fixed", value: "private note", secret: true },
        retries: { mode: "fixed", value: 2 },
      },
      new Set(["url"]),
    );
    expect(separateSecretValues(settings)).toEqual({
      settings: {
        url: { mode: "fixed", secret: true },
        note: { mode: "fixed", secret: true },
        retries: { mode: "fixed", value: 2 },
      },
      secretValues: { note: "private note" },
    });
  });

  it("hides a secret field's value stored in clear by an earlier version", () => {
    const stored: FieldSettings = {
      url: { mode: "fixed", value: "https://hooks.example.com/abc" },
      retries: { mode: "fixed", value: 2 },
    };
    expect(hideClearSecretValues(callWebhook, stored)).toEqual({
      url: { mode: "fixed", secret: true },
      retries: { mode: "fixed", value: 2 },
    });
    expect(hideClearSecretValues(sendMessage, { channel: { mode: "fixed", value: "C1" } })).toEqual({
      channel: { mode: "fixed", value: "C1" },
    });
  });

  it("builds the input without the sealed values, which the worker adds", () => {
    const settings: FieldSettings = {
      url: { mode: "fixed", secret: true },
      retries: { mode: "fixed", value: 2 },
    };
    expect(buildActionInput(callWebhook, settings, { note: "hi" })).toEqual({ note: "hi", retries: 2 });
    expect(() => buildActionInput(callWebhook, settings, { url: "https://elsewhere.example.com" })).toThrow(
      z.ZodError,
    );
    expect([...listMaskedFields(callWebhook, { note: { mode: "fixed", secret: true } })].sort()).toEqual([
      "note",
      "url",
    ]);
  });
});
