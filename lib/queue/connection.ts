// BullMQ's view of Redis: the key prefix (under REDIS_PREFIX) and the connection options.
import { getEnv } from "@/env";

export function bullPrefix(): string {
  // The braces make every queue key hash to one Redis Cluster slot, as BullMQ requires there.
  return `{${getEnv().REDIS_PREFIX}}:bull`;
}
