// Every write through getDb() that can change a server snapshot invalidates it by itself: the
// Prisma client is extended so that such a write is announced before it runs (a write Redis
// cannot hear about is refused, so no change goes unannounced) and again once it is committed, so
// that a snapshot loaded between the two, from the state before the commit, is dropped too. Inside
// an interactive transaction "committed" means when $transaction returns, not when the statement
// does. Nothing outside lib/servers needs to remember to invalidate anything.
import { AsyncLocalStorage } from "node:async_hooks";
import { Prisma, type PrismaClient } from "@/lib/db/generated/client.ts";
import { createLogger } from "@/lib/log/logger";
import { announceInvalidation } from "./snapshot-cache";
import { invalidationOfWrite, type SnapshotInvalidation } from "./snapshot-invalidation";

// The invalidations of the interactive transaction the current code runs in, announced again
// after it commits.
const transactionInvalidations = new AsyncLocalStorage<SnapshotInvalidation[]>();

async function announceAfterCommit(invalidation: SnapshotInvalidation): Promise<void> {
  // The write is committed: failing it now would misreport it. Other processes then see the
  // change when their entry reaches its maximum age.
  await announceInvalidation(invalidation).catch((error: Error) =>
    createLogger({ module: "server-snapshots" }).error(
      { err: error.message },
      "snapshot invalidation after commit could not be announced",
    ),
  );
}

type Operation = {
  model?: string;
  operation: string;
  args: unknown;
  query: (args: never) => Promise<unknown>;
};

async function invalidateAround({ model, operation, args, query }: Operation): Promise<unknown> {
  const invalidation = invalidationOfWrite(model, operation, args);
  if (!invalidation) return query(args as never);
  await announceInvalidation(invalidation);
  const result = await query(args as never);
  const pending = transactionInvalidations.getStore();
  if (pending) pending.push(invalidation);
  else await announceAfterCommit(invalidation);
  return result;
}

// Only the models a snapshot is made of: the others (the call ledger above all) pay nothing.
const invalidateSnapshotsOnWrite = Prisma.defineExtension({
  name: "invalidate-server-snapshots",
  query: {
    mcpServer: { $allOperations: invalidateAround },
    tool: { $allOperations: invalidateAround },
    user: { $allOperations: invalidateAround },
    plan: { $allOperations: invalidateAround },
    connection: { $allOperations: invalidateAround },
    organization: { $allOperations: invalidateAround },
    membership: { $allOperations: invalidateAround },
    serverAccess: { $allOperations: invalidateAround },
    app: { $allOperations: invalidateAround },
    appAction: { $allOperations: invalidateAround },
  },
});

/**
 * The client with snapshot invalidation installed. Query extensions leave the client's API as it
 * is, so it keeps the PrismaClient type that the rest of the code is written against.
 */
export function withSnapshotInvalidation(client: PrismaClient): PrismaClient {
  const extended = client.$extends(invalidateSnapshotsOnWrite) as unknown as PrismaClient;
  const interactiveTransaction = async (
    run: (tx: Prisma.TransactionClient) => Promise<unknown>,
    options?: Parameters<PrismaClient["$transaction"]>[1],
  ) => {
    const pending: SnapshotInvalidation[] = [];
    const result = await transactionInvalidations.run(pending, () => extended.$transaction(run, options));
    for (const invalidation of pending) await announceAfterCommit(invalidation);
    return result;
  };
  return new Proxy(extended, {
    get(target, property) {
      if (property !== "$transaction") {
        const value: unknown = Reflect.get(target, property);
        return typeof value === "function" ? value.bind(target) : value;
      }
      return (input: unknown, options?: never) =>
        typeof input === "function"
          ? interactiveTransaction(input as never, options)
          : target.$transaction(input as never, options);
    },
  });
}
