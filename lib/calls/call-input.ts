// A call's input in its two stored forms. The ledger's `input` is a copy for people (history):
// secret fields masked, size capped. The input the worker runs is sealed whole in `sealedInput`,
// bound to the call, with the names of the tool's sealed fields it needs; the worker opens it,
// adds those fields' values (which only it opens), validates the result and runs it.
import { z } from "zod";
import type { ActionDefinition } from "@/integrations/sdk/define";
import { secretStringsIn } from "@/lib/connections/secret-scrub";
import { getDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client.ts";
import {
  type FieldSettings,
  isKeptSecretSetting,
  isSealedSetting,
  listMaskedFields,
  listSecretFields,
} from "@/lib/tools/field-settings";
import { openFieldValues } from "@/lib/tools/sealed-field-values";
import { open, seal, sealOwner, VaultError } from "@/lib/vault/vault";
import { capForStorage } from "./payload-limits";

export const secretMask = "[secret]";

/** Arguments that fail the action's schema, in words: which argument, and what is wrong. */
export function describeInvalidArguments(error: z.ZodError): string {
  const problems = error.issues.map((issue) => {
    const where = issue.path.length ? issue.path.join(".") : "arguments";
    return issue.code === "unrecognized_keys"
      ? `unknown argument(s): ${issue.keys.join(", ")}`
      : `${where}: ${issue.message}`;
  });
  return `Invalid arguments. ${problems.join("; ")}.`;
}

/** What history shows of an input: each secret field's value masked (a sealed one too), capped. */
export function buildDisplayInput(
  action: ActionDefinition,
  settings: FieldSettings,
  input: Record<string, unknown>,
): Prisma.InputJsonValue {
  const shown: Record<string, unknown> = { ...input };
  for (const name of listMaskedFields(action, settings))
    if (name in input || isSealedSetting(settings[name])) shown[name] = secretMask;
  return capForStorage(shown) as Prisma.InputJsonValue;
}

const sealedInputSchema = z.object({
  input: z.record(z.string(), z.unknown()),
  /** The tool's sealed fields the call needs, as its settings were when it was admitted. */
  sealedFields: z.array(z.string()),
  /**
   * Fields fixed as secret whose values are in `input` (a try of unsaved settings), masked in
   * what comes back like the sealed ones. Absent from inputs sealed before it existed.
   */
  secretFields: z.array(z.string()).default([]),
});

/**
 * The input as the web process built it (no kept secret values in it), sealed for the call's
 * worker.
 */
export async function sealCallInput(
  call: { id: string; userId: string },
  settings: FieldSettings,
  input: Record<string, unknown>,
): Promise<Uint8Array<ArrayBuffer>> {
  const sealedFields = Object.keys(settings).filter((name) => isKeptSecretSetting(settings[name]));
  const secretFields = Object.keys(settings).filter(
    (name) => isSealedSetting(settings[name]) && !isKeptSecretSetting(settings[name]),
  );
  const sealed: z.input<typeof sealedInputSchema> = { input, sealedFields, secretFields };
  const { ciphertext } = await seal(sealed, {
    userId: call.userId,
    callId: call.id,
  });
  return ciphertext;
}

export type OpenedCallInput =
  | { ok: true; input: Record<string, unknown>; secrets: string[] }
  | { ok: false; code: "input_unavailable" | "invalid_input"; message: string };

type PendingCall = {
  id: string;
  userId: string;
  /** Set on an organization's server, whose tools' secret values are sealed for the organization. */
  orgId?: string | null;
  toolId: string | null;
  sealedInput: Uint8Array | null;
};

/**
 * The input a call runs with (the worker only): its sealed input and its tool's sealed values,
 * validated by the action's schema; with the secret strings in it, to mask in what comes back.
 */
export async function openCallInput(call: PendingCall, action: ActionDefinition): Promise<OpenedCallInput> {
  const unavailable = (message: string) => ({ ok: false, code: "input_unavailable", message }) as const;
  if (!call.sealedInput)
    return unavailable("This call's input was not kept, so it cannot run. Call the tool again.");
  try {
    const sealed = sealedInputSchema.parse(
      await open(call.sealedInput, { userId: call.userId, callId: call.id }),
    );
    // Most tools have no sealed values: their calls skip the read.
    const tool =
      call.toolId && sealed.sealedFields.length > 0
        ? await getDb().tool.findUnique({
            where: { id: call.toolId },
            select: { sealedValues: { select: { field: true, ciphertext: true } } },
          })
        : null;
    const rows = tool?.sealedValues.filter((row) => sealed.sealedFields.includes(row.field)) ?? [];
    if (rows.length < sealed.sealedFields.length)
      return unavailable(
        "The tool's secret values changed or were removed while this call waited, so it did not run. Call the tool again.",
      );
    // Sealed for the server's owner (sealOwner): the organization's, or the user's who called their own.
    const owner = sealOwner({ userId: call.userId, orgId: call.orgId ?? null });
    const values = call.toolId && rows.length ? await openFieldValues(owner, call.toolId, rows) : {};
    const parsed = action.input.safeParse({ ...sealed.input, ...values });
    if (!parsed.success)
      return { ok: false, code: "invalid_input", message: describeInvalidArguments(parsed.error) };
    const input = parsed.data as Record<string, unknown>;
    const masked = new Set([...listSecretFields(action), ...sealed.sealedFields, ...sealed.secretFields]);
    return { ok: true, input, secrets: [...masked].flatMap((name) => secretStringsIn(input[name])) };
  } catch (error) {
    if (error instanceof VaultError) return unavailable(error.message);
    throw error;
  }
}
