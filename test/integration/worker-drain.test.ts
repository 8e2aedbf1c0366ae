// SIGTERM (docs/security.md 20) lets the worker finish its active jobs (within the grace period)
// before it exits, so a call in flight completes instead of being lost.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { admitCall } from "@/lib/calls/admit-call";
import { disconnectDb, getDb } from "@/lib/db/client";
import { closeQueues } from "@/lib/queue/queues";
import { disconnectRedis } from "@/lib/redis/client";
import { createServer } from "@/lib/servers/manage-servers";
import { resolveServerBySecret } from "@/lib/servers/snapshot-cache";
import { addTool, addToolSchema } from "@/lib/tools/manage-tools";
import { createUser } from "@/lib/users/create-user";

const projectRoot = path.resolve(import.meta.dirname, "../..");
let worker: ChildProcess;
let workerOutput = "";

function startWorker(): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [path.join(projectRoot, "node_modules/tsx/dist/cli.mjs"), "workers/index.ts"],
    {
      cwd: projectRoot,
      env: { ...process.env, SHUTDOWN_GRACE_MS: "20000", LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      workerOutput += chunk.toString();
      if (workerOutput.includes("worker started")) resolve(child);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.on("exit", (code) =>
      reject(new Error(`worker exited (${code}) before starting:\n${workerOutput}`)),
    );
  });
}

beforeAll(async () => {
  worker = await startWorker();
});

afterAll(async () => {
  if (worker.exitCode === null) worker.kill("SIGKILL");
  await Promise.allSettled([closeQueues(), disconnectRedis(), disconnectDb()]);
});

describe("worker shutdown", () => {
  it("finishes an active call before exiting on SIGTERM", async () => {
    const user = await createUser({ email: `drain-${Date.now()}@example.com`, password: "password123" });
    const server = await createServer(user.id, "drain");
    await addTool(user.id, server.id, addToolSchema.parse({ integration: "delay", action: "wait" }));
    const snapshot = await resolveServerBySecret(new URL(server.url).pathname.split("/").pop()!);
    const tool = snapshot!.tools[0]!;

    const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
      worker.on("exit", (code) => resolve({ code, at: Date.now() })),
    );
    let progressSeen = false;
    const call = admitCall(
      snapshot!,
      tool,
      { seconds: 3 },
      {
        signal: new AbortController().signal,
        onProgress: async () => {
          if (!progressSeen) {
            progressSeen = true;
            worker.kill("SIGTERM"); // mid-job: one second into a three-second wait
          }
        },
      },
    );
    const outcome = await call;
    const finishedAt = Date.now();
    const exit = await exited;

    expect(outcome).toEqual({ status: "succeeded", output: { waitedSeconds: 3 } });
    expect(exit.code).toBe(0);
    expect(exit.at).toBeGreaterThanOrEqual(finishedAt - 1_000);
    expect(workerOutput).toContain("draining active jobs");

    const rows = await getDb().call.findMany({ where: { userId: user.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]?.status).toBe("SUCCESS");
  });
});
