// A private redis-server for tests that stop and restart Redis or need a particular
// configuration: no persistence, on a free port, restartable on the same port.
import { type ChildProcess, spawn } from "node:child_process";
import { waitUntil } from "@/lib/runtime/children";
import { canPing } from "@/lib/runtime/embedded-redis";
import { findFreePort } from "@/lib/runtime/free-port";

export type TestRedis = {
  url: string;
  port: number;
  /** SIGKILL: the way Redis disappears when it crashes or its host goes away. */
  kill: () => Promise<void>;
  start: () => Promise<void>;
  stop: () => Promise<void>;
};

export async function startRedisServer(extraArgs: string[] = []): Promise<TestRedis> {
  const port = await findFreePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const start = async () => {
    child = spawn(
      "redis-server",
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", ...extraArgs],
      { stdio: "ignore" },
    );
    const current = child;
    exited = new Promise((resolve) => current.on("exit", () => resolve()));
    await waitUntil(() => canPing(url), 10_000, `redis-server on port ${port}`);
  };
  const signal = async (name: NodeJS.Signals) => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill(name);
    await exited;
  };
  await start();
  return { url, port, start, kill: () => signal("SIGKILL"), stop: () => signal("SIGTERM") };
}
