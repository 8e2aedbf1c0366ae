// The upgrade to sealed secret values: fixed values of fields declared secret that an earlier
// version stored in clear in Tool.fields are sealed and taken out. The worker runs it when it
// starts, before it takes any call (sealing needs ENCRYPTION_KEY, which SQL migrations have not);
// it is idempotent, and a tool changed meanwhile is left to the change (which sealed it already).
import { integrations } from "@/integrations/registry";
import { getDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client.ts";
import { sealOwner } from "@/lib/vault/vault";
import {
  fieldSettingsSchema,
  isSealedSetting,
  listSecretFields,
  separateSecretValues,
} from "./field-settings";
import { replaceSealedFieldValues, sealFieldValues } from "./sealed-field-values";

const batchSize = 200;

/** Seals every clear fixed value of a secret field; returns how many tools it changed. */
export async function sealClearSecretValues(): Promise<number> {
  const secretActions = integrations.flatMap((integration) =>
    integration.actions
      .filter((action) => listSecretFields(action).size > 0)
      .map((action) => ({
        integration: integration.slug,
        action: action.key,
        secret: listSecretFields(action),
      })),
  );
  if (secretActions.length === 0) return 0;
  const db = getDb();
  let changed = 0;
  let cursor: string | undefined;
  for (;;) {
    const tools = await db.tool.findMany({
      where: {
        OR: secretActions.map(({ integration, action }) => ({ integration, action })),
        ...(cursor && { id: { gt: cursor } }),
      },
      orderBy: { id: "asc" },
      take: batchSize,
      select: {
        id: true,
        integration: true,
        action: true,
        fields: true,
        updatedAt: true,
        server: { select: { userId: true, orgId: true } },
      },
    });
    if (tools.length === 0) return changed;
    for (const tool of tools) {
      const secret = secretActions.find(
        (candidate) => candidate.integration === tool.integration && candidate.action === tool.action,
      )?.secret;
      const stored = fieldSettingsSchema.safeParse(tool.fields).data;
      if (!secret || !stored) continue;
      const clear = Object.entries(stored).filter(
        ([name, setting]) => secret.has(name) && setting.mode === "fixed" && setting.value !== undefined,
      );
      if (clear.length === 0) continue;
      const { settings, secretValues } = separateSecretValues({
        ...stored,
        ...Object.fromEntries(clear.map(([name, setting]) => [name, { ...setting, secret: true }])),
      });
      const rows = await sealFieldValues(sealOwner(tool.server), tool.id, secretValues);
      const kept = Object.keys(stored).filter((name) => isSealedSetting(stored[name]));
      const sealed = await db.$transaction(async (tx) => {
        const updated = await tx.tool.updateMany({
          where: { id: tool.id, updatedAt: tool.updatedAt },
          data: { fields: settings as Prisma.InputJsonValue },
        });
        if (updated.count === 0) return false;
        await replaceSealedFieldValues(tx, tool.id, rows, kept);
        return true;
      });
      if (sealed) changed++;
    }
    cursor = tools.at(-1)?.id;
  }
}
