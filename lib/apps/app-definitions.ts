// An added app's actions as its upstream defines them, pinned: each discovery stores what the
// upstream says now (capped, scanned, hashed), and an action is served only while that is what its
// owner accepted. A changed definition (a "rug pull") stops being served until the owner reviews the
// difference and accepts it again; an action the upstream no longer lists stops being served too.
import { getDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client.ts";
import { AppError } from "@/lib/errors/app-error";
import { makeUniqueToolName, shortenName } from "@/lib/tools/tool-name";
import {
  type ActionDefinitionData,
  DefinitionTooLargeError,
  type DiscoveredAction,
  hashDefinition,
  normalizeDefinition,
} from "./action-definition";
import { type Finding, scanDefinition } from "./scan-definition";

/** At most this many actions per app: a bigger document needs its operations picked. */
export const maxActionsPerApp = 2_000;

export type DiscoverySummary = {
  added: string[];
  changed: string[];
  removed: string[];
  unchanged: number;
  /** Actions whose definition the scan flagged, by key. */
  flagged: Record<string, Finding[]>;
  /** Upstream actions that could not be kept (a schema over its cap), with why. */
  refused: { upstreamName: string; reason: string }[];
};

/** An action key from the upstream's name: tool-name characters only, at most 64, unique in the app. */
function actionKeyFor(upstreamName: string, taken: Set<string>): string {
  const cleaned = upstreamName.replace(/[^A-Za-z0-9_-]+/g, "_").replace(/^_+|_+$/g, "") || "action";
  const key = makeUniqueToolName(shortenName(cleaned), taken);
  taken.add(key);
  return key;
}

type Prepared = { upstreamName: string; definition: ActionDefinitionData; hash: string; findings: Finding[] };

function prepare(found: DiscoveredAction[], summary: DiscoverySummary): Prepared[] {
  const seen = new Set<string>();
  const prepared: Prepared[] = [];
  for (const action of found) {
    if (seen.has(action.upstreamName)) continue; // an upstream listing a name twice: the first stands
    seen.add(action.upstreamName);
    try {
      const definition = normalizeDefinition(action);
      prepared.push({
        upstreamName: action.upstreamName,
        definition,
        hash: hashDefinition(action.upstreamName, definition),
        findings: scanDefinition(action.upstreamName, definition),
      });
    } catch (error) {
      if (!(error instanceof DefinitionTooLargeError)) throw error;
      summary.refused.push({ upstreamName: action.upstreamName.slice(0, 200), reason: error.message });
    }
  }
  if (prepared.length > maxActionsPerApp)
    throw new AppError(
      "validation_failed",
      `The upstream defines ${prepared.length} actions; at most ${maxActionsPerApp} can be kept. Pick the operations to import.`,
    );
  return prepared;
}

/**
 * Stores what a discovery found. `acceptClean`: a new action the scan did not flag is accepted at
 * once (when the owner adds the app and sees the list); on a refresh nothing is accepted by itself.
 */
export async function applyDiscovery(
  appId: string,
  found: DiscoveredAction[],
  { acceptClean }: { acceptClean: boolean },
): Promise<DiscoverySummary> {
  const summary: DiscoverySummary = {
    added: [],
    changed: [],
    removed: [],
    unchanged: 0,
    flagged: {},
    refused: [],
  };
  const prepared = prepare(found, summary);
  const now = new Date();
  await getDb().$transaction(async (tx) => {
    // One discovery at a time per app: two refreshes must not both add the same action.
    await tx.$queryRaw`SELECT id FROM "App" WHERE id = ${appId} FOR UPDATE`;
    const existing = await tx.appAction.findMany({
      where: { appId },
      select: { id: true, key: true, upstreamName: true, hash: true, removedAt: true },
    });
    const byName = new Map(existing.map((row) => [row.upstreamName, row]));
    const taken = new Set(existing.map((row) => row.key));
    for (const action of prepared) {
      const row = byName.get(action.upstreamName);
      byName.delete(action.upstreamName);
      const findings = action.findings as unknown as Prisma.InputJsonValue;
      const definition = action.definition as Prisma.InputJsonValue;
      if (!row) {
        const key = actionKeyFor(action.upstreamName, taken);
        const accept = acceptClean && action.findings.length === 0;
        await tx.appAction.create({
          data: {
            appId,
            key,
            upstreamName: action.upstreamName,
            definition,
            hash: action.hash,
            findings,
            ...(accept && { acceptedHash: action.hash, acceptedDefinition: definition, acceptedAt: now }),
          },
        });
        summary.added.push(key);
        if (action.findings.length > 0) summary.flagged[key] = action.findings;
        continue;
      }
      if (row.hash === action.hash && !row.removedAt) {
        summary.unchanged++;
        continue;
      }
      await tx.appAction.update({
        where: { id: row.id },
        data: { definition, hash: action.hash, findings, removedAt: null },
      });
      summary.changed.push(row.key);
      if (action.findings.length > 0) summary.flagged[row.key] = action.findings;
    }
    const gone = [...byName.values()].filter((row) => !row.removedAt);
    if (gone.length > 0)
      await tx.appAction.updateMany({
        where: { id: { in: gone.map((row) => row.id) } },
        data: { removedAt: now },
      });
    summary.removed = gone.map((row) => row.key);
    await tx.app.update({ where: { id: appId }, data: { refreshedAt: now } });
  });
  return summary;
}

/**
 * The owner accepts actions as they stand: each key with the hash they reviewed. A definition that
 * changed since (another hash) is refused, so what is accepted is exactly what was shown.
 */
export async function acceptActions(appId: string, reviewed: Record<string, string>): Promise<string[]> {
  const keys = Object.keys(reviewed);
  return getDb().$transaction(async (tx) => {
    const rows = await tx.appAction.findMany({
      where: { appId, key: { in: keys } },
      select: { id: true, key: true, hash: true, definition: true, removedAt: true },
    });
    const byKey = new Map(rows.map((row) => [row.key, row]));
    for (const key of keys) {
      const row = byKey.get(key);
      if (!row || row.removedAt) throw new AppError("not_found", `The app has no action "${key}".`);
      if (row.hash !== reviewed[key])
        throw new AppError(
          "conflict",
          `The definition of "${key}" changed since it was reviewed (its hash is now ${row.hash}); review it again.`,
        );
    }
    const now = new Date();
    for (const row of rows)
      await tx.appAction.update({
        where: { id: row.id },
        data: {
          acceptedHash: row.hash,
          acceptedDefinition: row.definition as Prisma.InputJsonValue,
          acceptedAt: now,
        },
      });
    return keys;
  });
}

/** Which actions the app offers (an OpenAPI document's chosen operations); the others are kept, not served. */
export async function setOffered(appId: string, keys: string[], offered: boolean): Promise<number> {
  const { count } = await getDb().appAction.updateMany({
    where: { appId, key: { in: keys } },
    data: { offered },
  });
  return count;
}
