// A user's call history, newest first, paged by cursor: `before` is the id of the last call of
// the previous page. Ordered by (startedAt, id) so calls that start in the same millisecond
// still page without gaps or repeats; the [userId, startedAt desc] index serves it.
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";

export const listCallsQuerySchema = z.object({
  limit: z.coerce
    .number({ error: "must be a whole number from 1 to 200" })
    .int("must be a whole number from 1 to 200")
    .min(1, "must be at least 1")
    .max(200, "must be at most 200")
    .default(50)
    .describe("How many calls to return, 1-200."),
  before: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe("A call id: return the calls older than it (the next page)."),
});
export type ListCallsQuery = z.output<typeof listCallsQuerySchema>;

const callView = {
  id: true,
  serverId: true,
  toolName: true,
  integration: true,
  action: true,
  status: true,
  durationMs: true,
  errorCode: true,
  errorMessage: true,
  startedAt: true,
  finishedAt: true,
} as const;

export async function listCalls(userId: string, { limit, before }: ListCallsQuery) {
  const db = getDb();
  let olderThan: { startedAt: Date; id: string } | undefined;
  if (before) {
    const cursor = await db.call.findFirst({
      where: { id: before, userId },
      select: { startedAt: true, id: true },
    });
    if (!cursor)
      throw new AppError("validation_failed", `before: no call of yours has the id "${before}".`, {
        field: "before",
      });
    olderThan = cursor;
  }
  return db.call.findMany({
    where: {
      userId,
      ...(olderThan && {
        OR: [
          { startedAt: { lt: olderThan.startedAt } },
          { startedAt: olderThan.startedAt, id: { lt: olderThan.id } },
        ],
      }),
    },
    orderBy: [{ startedAt: "desc" }, { id: "desc" }],
    take: limit,
    select: callView,
  });
}
