// A Redis Cluster of three masters (no replicas) made from `redis-server` on free loopback ports:
// each node started with cluster mode on, a third of the 16384 slots given to each, the nodes
// introduced to each other, and ready once every node reports the cluster whole.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { waitUntil } from "@/lib/runtime/children";
import { canPing } from "@/lib/runtime/embedded-redis";
import { findFreePort } from "@/lib/runtime/free-port";

const slotCount = 16_384;

export type TestRedisCluster = {
  /** One redis:// URL per master. */
  urls: string[];
  /** Runs `use` with a plain connection to each master (for looking at what each node holds). */
  eachMaster: <T>(use: (node: Redis) => Promise<T>) => Promise<T[]>;
  stop: () => Promise<void>;
};

type Node = { port: number; busPort: number; child: ChildProcess; exited: Promise<void> };

/** Fails with what to install if redis-server is missing or older than 7.0 (CLUSTER ADDSLOTSRANGE, --cluster-port). */
function assertRedisServer7(): void {
  const found = spawnSync("redis-server", ["--version"], { encoding: "utf8" });
  const major = Number(/v=(\d+)\./.exec(found.stdout ?? "")?.[1] ?? 0);
  if (found.error || major < 7)
    throw new Error(
      `The Redis Cluster test needs redis-server 7.0 or later on PATH (found: ${found.error ? "none" : found.stdout.trim()}): Debian/Ubuntu \`sudo apt-get install redis-server\`, macOS \`brew install redis\`.`,
    );
}

async function startNode(directory: string): Promise<Node> {
  const port = await findFreePort();
  const busPort = await findFreePort();
  const child = spawn(
    "redis-server",
    [
      ...["--port", String(port), "--cluster-port", String(busPort), "--bind", "127.0.0.1"],
      ...["--cluster-enabled", "yes", "--cluster-config-file", path.join(directory, `nodes-${port}.conf`)],
      ...["--dir", directory, "--save", "", "--appendonly", "no", "--maxmemory-policy", "noeviction"],
    ],
    { stdio: "ignore" },
  );
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  await waitUntil(() => canPing(`redis://127.0.0.1:${port}`), 10_000, `redis-server on port ${port}`);
  return { port, busPort, child, exited };
}

async function withNode<T>(port: number, use: (node: Redis) => Promise<T>): Promise<T> {
  const node = new Redis({ host: "127.0.0.1", port, lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await node.connect();
    return await use(node);
  } finally {
    node.disconnect();
  }
}

async function isWhole(port: number, size: number): Promise<boolean> {
  const info = await withNode(port, (node) => node.call("CLUSTER", "INFO") as Promise<string>).catch(
    () => "",
  );
  return info.includes("cluster_state:ok") && info.includes(`cluster_known_nodes:${size}`);
}

export async function startRedisCluster(masters = 3): Promise<TestRedisCluster> {
  assertRedisServer7();
  const directory = await mkdtemp(path.join(os.tmpdir(), "toolgate-cluster-"));
  const nodes: Node[] = [];
  const stop = async () => {
    for (const node of nodes) if (node.child.exitCode === null) node.child.kill("SIGKILL");
    await Promise.all(nodes.map((node) => node.exited));
    await rm(directory, { recursive: true, force: true });
  };
  try {
    for (let index = 0; index < masters; index++) nodes.push(await startNode(directory));
    const [first, ...others] = nodes;
    for (const [index, node] of nodes.entries()) {
      const start = Math.floor((slotCount * index) / masters);
      const end = Math.floor((slotCount * (index + 1)) / masters) - 1;
      await withNode(node.port, (client) => client.call("CLUSTER", "ADDSLOTSRANGE", start, end));
    }
    for (const node of others)
      await withNode(first!.port, (client) =>
        client.call("CLUSTER", "MEET", "127.0.0.1", node.port, node.busPort),
      );
    for (const node of nodes)
      await waitUntil(() => isWhole(node.port, masters), 30_000, `the cluster seen from port ${node.port}`);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    urls: nodes.map((node) => `redis://127.0.0.1:${node.port}`),
    eachMaster: (use) => Promise.all(nodes.map((node) => withNode(node.port, use))),
    stop,
  };
}
