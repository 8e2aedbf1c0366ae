// Signing out ends a session on the server, not only in the browser that signed out: the session's
// id (its `sid` claim, set at sign-in) is recorded until every cookie it was ever given has
// expired, and Auth.js's jwt callback refuses a recorded one on every read (lib/auth/config.ts).
import { getDb } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client.ts";
import { createLogger } from "@/lib/log/logger";

/** How long a session cookie lives after it was last renewed. */
export const sessionMaxAgeSeconds = 30 * 24 * 60 * 60;

export async function revokeSession(userId: string, sessionId: string, now = new Date()): Promise<void> {
  const db = getDb();
  // Every cookie of the session was issued by now, so none outlives now + its lifetime.
  const expiresAt = new Date(now.getTime() + sessionMaxAgeSeconds * 1000);
  try {
    await db.revokedSession.upsert({
      where: { id: sessionId },
      create: { id: sessionId, userId, expiresAt },
      update: {},
    });
  } catch (error) {
    // A deleted account has no session left to end.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2003") return;
    createLogger({ module: "auth" }).error(
      { userId, err: (error as Error).message },
      "could not record a sign-out: the session's copies stay valid",
    );
    throw error;
  }
  // Records whose cookies have all expired refuse nothing any more.
  await db.revokedSession.deleteMany({ where: { expiresAt: { lt: now } } });
}

export async function isSessionRevoked(sessionId: string): Promise<boolean> {
  const found = await getDb().revokedSession.findUnique({ where: { id: sessionId }, select: { id: true } });
  return found !== null;
}
