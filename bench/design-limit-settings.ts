// What the design-limit server and its worker share: where the services are, the queue's name
// and the scratch table's, from the environment the bench gives them.
export const designQueueName = "design-limit-calls";

export type DesignSettings = { databaseUrl: string; redisUrl: string; prefix: string };

export function readDesignSettings(): DesignSettings {
  const { DESIGN_DATABASE_URL, DESIGN_REDIS_URL, DESIGN_PREFIX } = process.env;
  if (!DESIGN_DATABASE_URL || !DESIGN_REDIS_URL || !DESIGN_PREFIX || !/^[a-z0-9-]+$/.test(DESIGN_PREFIX))
    throw new Error("DESIGN_DATABASE_URL, DESIGN_REDIS_URL and DESIGN_PREFIX ([a-z0-9-]) are required");
  return { databaseUrl: DESIGN_DATABASE_URL, redisUrl: DESIGN_REDIS_URL, prefix: DESIGN_PREFIX };
}

/** The ledger table of one run, named after its prefix so runs side by side never share one. */
export function designTableName(prefix: string): string {
  return `design_limit_calls_${prefix.replaceAll("-", "_")}`;
}
