// A tool's secret fixed values at rest: one SealedFieldValue row per field, sealed by the vault and
// bound to (server owner, tool, field). The web process seals and replaces them but never opens
// them; only the worker does, for a call.
import { getDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client.ts";
import { open, seal } from "@/lib/vault/vault";

type SealedFieldRow = { field: string; ciphertext: Uint8Array<ArrayBuffer>; keyVersion: number };

export async function sealFieldValues(
  userId: string,
  toolId: string,
  values: Record<string, unknown>,
): Promise<SealedFieldRow[]> {
  return Promise.all(
    Object.entries(values).map(async ([field, value]) => ({
      field,
      ...(await seal(value, { userId, toolId, field })),
    })),
  );
}

/** The names of the fields whose sealed value the tool holds. */
export async function listSealedFields(toolId: string): Promise<Set<string>> {
  const rows = await getDb().sealedFieldValue.findMany({ where: { toolId }, select: { field: true } });
  return new Set(rows.map((row) => row.field));
}

/**
 * Makes the tool's sealed values exactly `rows` plus the ones named in `keep`. Call it in the
 * transaction that writes the tool's settings, after that write (which locks the tool's row, so
 * two changes of one tool take turns).
 */
export async function replaceSealedFieldValues(
  tx: Prisma.TransactionClient,
  toolId: string,
  rows: SealedFieldRow[],
  keep: string[],
): Promise<void> {
  await tx.sealedFieldValue.deleteMany({ where: { toolId, field: { notIn: keep } } });
  if (rows.length > 0)
    await tx.sealedFieldValue.createMany({ data: rows.map((row) => ({ toolId, ...row })) });
}

/** The tool's secret fixed values, opened (the worker only). */
export async function openFieldValues(
  userId: string,
  toolId: string,
  rows: { field: string; ciphertext: Uint8Array }[],
): Promise<Record<string, unknown>> {
  const opened = await Promise.all(
    rows.map(async (row) => [row.field, await open(row.ciphertext, { userId, toolId, field: row.field })]),
  );
  return Object.fromEntries(opened);
}
