// Whether an added app's upstream answers, as its App row records it (a probe, or a call that
// could not reach it), and the fast failure of calls while it was found down a moment ago: a
// call to an upstream that just failed to answer would only wait out the same timeout again.
import { AppUnreachableError } from "@/integrations/sdk/errors";
import { getDb } from "@/lib/db/client";

/** How long an upstream found unreachable fails calls at once, before they try it again. */
export const unhealthyHoldMs = 30_000;

export type HealthObservation = {
  healthy: boolean;
  /** How long the check (or the call) took, when it says something about the upstream. */
  latencyMs?: number;
  /** Why it is not healthy, in plain words (never a secret: it comes from error classes' reasons). */
  error?: string;
};

export async function recordUpstreamHealth(appId: string, observed: HealthObservation, at = new Date()) {
  await getDb().app.update({
    where: { id: appId },
    data: {
      healthy: observed.healthy,
      lastCheckedAt: at,
      ...(observed.healthy
        ? { lastOkAt: at, lastError: null }
        : { lastError: observed.error?.slice(0, 500) }),
      ...(observed.latencyMs !== undefined && { latencyMs: Math.round(observed.latencyMs) }),
    },
  });
}

/**
 * Throws AppUnreachableError when the upstream was found down less than unhealthyHoldMs ago;
 * otherwise returns what is recorded (null: never checked).
 */
export async function assertUpstreamNotDown(
  app: { id: string; name: string },
  now = Date.now(),
): Promise<boolean | null> {
  const row = await getDb().app.findUnique({
    where: { id: app.id },
    select: { healthy: true, lastCheckedAt: true, lastError: true },
  });
  if (row?.healthy === false && row.lastCheckedAt) {
    const ago = now - row.lastCheckedAt.getTime();
    if (ago >= 0 && ago < unhealthyHoldMs) {
      const reason = row.lastError ?? "it did not answer";
      throw new AppUnreachableError(
        `${app.name} is not answering (${reason}, ${Math.round(ago / 1000)} s ago); calls to it fail for ${Math.ceil((unhealthyHoldMs - ago) / 1000)} s more before it is tried again.`,
        reason,
      );
    }
  }
  return row?.healthy ?? null;
}
