// What the design-limit server and its worker share: where the services are, the queue's name
// and the scratch table's, from the environment the bench gives them.
export const designQueueName = "design-limit-calls";

/**
 * The ledger the design-limit server writes. "minimal": a scratch table with a primary key only
 * (the design's mandatory work). "platform": the platform's own Call table (its indexes, foreign
 * keys, sealed input) and the platform's finishing statement with its hourly rollup, as an
 * experiment that tells the cost of the ledger's schema from the cost of the platform's code.
 */
export type DesignLedger =
  | { kind: "minimal" }
  | { kind: "platform"; userId: string; serverId: string; toolId: string };

export type DesignSettings = { databaseUrl: string; redisUrl: string; prefix: string; ledger: DesignLedger };

export function readDesignSettings(): DesignSettings {
  const { DESIGN_DATABASE_URL, DESIGN_REDIS_URL, DESIGN_PREFIX } = process.env;
  if (!DESIGN_DATABASE_URL || !DESIGN_REDIS_URL || !DESIGN_PREFIX || !/^[a-z0-9-]+$/.test(DESIGN_PREFIX))
    throw new Error("DESIGN_DATABASE_URL, DESIGN_REDIS_URL and DESIGN_PREFIX ([a-z0-9-]) are required");
  const { DESIGN_LEDGER_USER_ID, DESIGN_LEDGER_SERVER_ID, DESIGN_LEDGER_TOOL_ID } = process.env;
  const ledger: DesignLedger =
    DESIGN_LEDGER_USER_ID && DESIGN_LEDGER_SERVER_ID && DESIGN_LEDGER_TOOL_ID
      ? {
          kind: "platform",
          userId: DESIGN_LEDGER_USER_ID,
          serverId: DESIGN_LEDGER_SERVER_ID,
          toolId: DESIGN_LEDGER_TOOL_ID,
        }
      : { kind: "minimal" };
  return { databaseUrl: DESIGN_DATABASE_URL, redisUrl: DESIGN_REDIS_URL, prefix: DESIGN_PREFIX, ledger };
}

/** The ledger table of one run, named after its prefix so runs side by side never share one. */
export function designTableName(prefix: string): string {
  return `design_limit_calls_${prefix.replaceAll("-", "_")}`;
}
