// Closes the connections a test process opened through lib/ (database pool, Redis, queues), so
// that vitest's fork exits promptly.
import { disconnectDb } from "@/lib/db/client";
import { closeQueues } from "@/lib/queue/queues";
import { disconnectRedis } from "@/lib/redis/client";
import { closeSnapshotFeed } from "@/lib/servers/snapshot-cache";

export async function closeTestConnections(): Promise<void> {
  await closeQueues().catch(() => {});
  await closeSnapshotFeed();
  await disconnectRedis();
  await disconnectDb();
}
