// The platform on a Redis Cluster of three masters (REDIS_CLUSTER_NODES, no REDIS_URL): a web
// process and a worker process serve MCP sessions (Streamable HTTP, and the older HTTP+SSE
// transport, whose answers travel by pub/sub), run tool calls as BullMQ jobs with progress and
// cancellation, admit exactly the quota left under a burst, refuse a rotated URL, and spread
// their keys over every master (each script's keys sharing one slot); with the cluster gone, the
// endpoint answers 503, and a worker refuses a master that may evict keys
// (docs/security.md 2, 16, 21, 22).
import { randomBytes } from "node:crypto";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { Job } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getEnv, setEnv } from "@/env";
import { getDb } from "@/lib/db/client";
import { toolCallJob } from "@/lib/queue/jobs/tool-call";
import { getQueue } from "@/lib/queue/queues";
import { readQuotaCounters } from "@/lib/quota/quota-store";
import { getRedis, isRedisCluster } from "@/lib/redis/client";
import { rotateServerSecret } from "@/lib/servers/manage-servers";
import { setLimitOverrides } from "@/lib/users/set-limit-overrides";
import { callRequest, connectClient, createTenant, postRpc, responseOf, textOf } from "../helpers/mcp";
import { startRedisCluster, type TestRedisCluster } from "../helpers/redis-cluster";
import { closeTestConnections } from "../helpers/teardown";
import { type RunningWeb, startWeb } from "../helpers/web";
import { type RunningWorker, startWorker } from "../helpers/worker";

let cluster: TestRedisCluster;
let web: RunningWeb;
let worker: RunningWorker;

beforeAll(async () => {
  cluster = await startRedisCluster(3);
  // This process and the platform's both reach Redis through the cluster only.
  const settings = {
    REDIS_CLUSTER_NODES: cluster.urls.join(","),
    REDIS_PREFIX: `${getEnv().REDIS_PREFIX}-cluster${randomBytes(2).toString("hex")}`,
  };
  setEnv(settings);
  [web, worker] = await Promise.all([
    startWeb({ ...settings, REDIS_URL: undefined }),
    startWorker({ ...settings, REDIS_URL: undefined }),
  ]);
  setEnv({ APP_URL: web.url });
}, 240_000);

afterAll(async () => {
  await Promise.all([web?.stop("SIGKILL"), worker?.stop("SIGKILL")]);
  await closeTestConnections();
  await cluster?.stop();
});

describe("the platform on a Redis Cluster", { timeout: 90_000 }, () => {
  it("connects to the cluster, not to a single Redis", async () => {
    expect(isRedisCluster(await getRedis())).toBe(true);
    expect(web.output() + worker.output()).not.toMatch(/CROSSSLOT|MOVED|ClusterAllFailedError/);
  });

  it("serves an MCP session: tools, calls as queued jobs, progress and cancellation", async () => {
    const tenant = await createTenant(web.url, "cluster-session");
    const client = await connectClient(web.url, tenant.secret);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toContain("formatter_transform_text");
      const result = await client.callTool({
        name: "formatter_transform_text",
        arguments: { text: "on a cluster", operation: "uppercase" },
      });
      expect(textOf(result)).toContain("ON A CLUSTER");

      const progress: number[] = [];
      const waited = await client.callTool({ name: "delay_wait", arguments: { seconds: 2 } }, undefined, {
        onprogress: ({ progress: done }) => {
          progress.push(done);
        },
      });
      expect(waited.structuredContent).toEqual({ waitedSeconds: 2 });
      expect(progress.length).toBeGreaterThan(0);

      // Each call was a BullMQ job on the cluster, finished by the worker.
      const calls = await getDb().call.findMany({
        where: { userId: tenant.userId },
        orderBy: { startedAt: "asc" },
      });
      expect(calls.map((call) => call.status)).toEqual(["SUCCESS", "SUCCESS"]);
      for (const call of calls) {
        const job = await Job.fromId(getQueue(toolCallJob.queue), call.id);
        expect(job?.finishedOn).toBeTruthy();
        expect(job?.returnvalue).toMatchObject({ status: "succeeded" });
      }

      // Cancelled once running: the cancellation is recorded across requests, the call runs to its end.
      const controller = new AbortController();
      const cancelled = client.callTool({ name: "delay_wait", arguments: { seconds: 2 } }, undefined, {
        signal: controller.signal,
        onprogress: () => controller.abort("the user pressed stop"),
      });
      await expect(cancelled).rejects.toThrow();
      const newest = () =>
        getDb().call.findFirst({
          where: { userId: tenant.userId, toolName: "delay_wait" },
          orderBy: { startedAt: "desc" },
        });
      await expect.poll(async () => (await newest())?.cancelRequestedAt, { timeout: 20_000 }).not.toBeNull();
      await expect.poll(async () => (await newest())?.status, { timeout: 20_000 }).toBe("SUCCESS");
    } finally {
      await client.close();
    }
  }, 90_000);

  it("answers over a legacy SSE stream through pub/sub", async () => {
    const tenant = await createTenant(web.url, "cluster-sse");
    const client = new Client({ name: "cluster-sse-test", version: "1.0.0" });
    await client.connect(new SSEClientTransport(new URL(`${tenant.url}/sse`)));
    try {
      const result = await client.callTool({
        name: "formatter_calculate",
        arguments: { operation: "add", numbers: [20, 22] },
      });
      expect(result.structuredContent).toEqual({ result: 42 });
    } finally {
      await client.close();
    }
  });

  it("admits exactly the calls left in the quota under a burst", async () => {
    const tenant = await createTenant(web.url, "cluster-quota");
    await setLimitOverrides(tenant.userId, { hour: 8, day: 1_000, month: 1_000 });
    const replies = await Promise.all(
      Array.from({ length: 30 }, (_, index) =>
        postRpc(
          tenant.url,
          callRequest("formatter_transform_text", { text: `burst ${index}`, operation: "uppercase" }),
        ),
      ),
    );
    expect(replies.map((reply) => reply.status)).toEqual(replies.map(() => 200));
    const admitted = replies.filter((reply) => !responseOf(reply).result?.isError);
    expect(admitted).toHaveLength(8);
    const rows = await getDb().call.groupBy({
      by: ["status"],
      where: { userId: tenant.userId },
      _count: true,
    });
    expect(Object.fromEntries(rows.map((row) => [row.status, row._count]))).toEqual({
      SUCCESS: 8,
      REFUSED: 22,
    });
    expect(await readQuotaCounters(tenant.userId, new Date())).toEqual({ hour: 8, day: 8, month: 8 });
  });

  it("refuses a rotated URL at once", async () => {
    const tenant = await createTenant(web.url, "cluster-rotate");
    const list = { jsonrpc: "2.0", id: 1, method: "tools/list" };
    expect((await postRpc(tenant.url, list)).status).toBe(200);
    const rotated = await rotateServerSecret(tenant.userId, tenant.serverId);
    expect((await postRpc(tenant.url, list)).status).toBe(401);
    expect((await postRpc(rotated.url.replace(/^https?:\/\/[^/]+/, web.url), list)).status).toBe(200);
  });

  it("spreads the platform's keys over every master", async () => {
    const prefix = getEnv().REDIS_PREFIX;
    const held = await cluster.eachMaster((node) => node.keys(`*${prefix}*`));
    for (const keys of held) expect(keys.length).toBeGreaterThan(0);
    expect(web.output() + worker.output()).not.toMatch(/CROSSSLOT|MOVED|ClusterAllFailedError/);
  });

  it("refuses to start a worker while any master may evict keys, naming that master", async () => {
    const [, second] = cluster.urls;
    const port = new URL(second!).port;
    await cluster.eachMaster(async (node) => {
      if (String(node.options.port) === port) await node.config("SET", "maxmemory-policy", "allkeys-lru");
    });
    try {
      await expect(
        startWorker({ REDIS_URL: undefined, REDIS_PREFIX: getEnv().REDIS_PREFIX }),
      ).rejects.toThrow(new RegExp(`maxmemory-policy is \\\\?"allkeys-lru\\\\?" on 127\\.0\\.0\\.1:${port}`));
    } finally {
      await cluster.eachMaster((node) => node.config("SET", "maxmemory-policy", "noeviction"));
    }
  });

  // Last: it takes the cluster away.
  it("answers 503 with Retry-After while the cluster is unreachable", async () => {
    const tenant = await createTenant(web.url, "cluster-down");
    const list = { jsonrpc: "2.0", id: 1, method: "tools/list" };
    expect((await postRpc(tenant.url, list)).status).toBe(200);
    await cluster.stop();
    const reply = await postRpc(tenant.url, list);
    expect(reply.status).toBe(503);
    expect(reply.headers.get("retry-after")).toBeTruthy();
  });
});
