// Replicas as an operator runs them: two `npm run web` and two `npm run worker` processes sharing
// one PostgreSQL and one Redis, behind a load balancer that sends each request to the next web
// replica. An MCP session started on one replica continues on the other (Streamable HTTP, and the
// older HTTP+SSE transport with its stream on one replica and its messages posted to the other);
// a burst split over both admits exactly the calls left in the quota; a rotated URL is refused by
// both; a worker killed mid-call loses nothing and doubles nothing (docs/security.md 2, 16, 17, 19).
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { Job } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getEnv, setEnv } from "@/env";
import { getDb } from "@/lib/db/client";
import { toolCallJob } from "@/lib/queue/jobs/tool-call";
import { getQueue } from "@/lib/queue/queues";
import { getUsage } from "@/lib/quota/usage";
import { rotateServerSecret } from "@/lib/servers/manage-servers";
import { setLimitOverrides } from "@/lib/users/set-limit-overrides";
import {
  acceptBoth,
  callRequest,
  createTenant,
  postRpc,
  rawHttp,
  responseOf,
  secretOfUrl,
  type Tenant,
  textOf,
} from "../helpers/mcp";
import { type RoundRobinProxy, startRoundRobinProxy } from "../helpers/round-robin-proxy";
import { closeTestConnections } from "../helpers/teardown";
import { type RunningWeb, startWeb } from "../helpers/web";
import { type RunningWorker, startWorker } from "../helpers/worker";

let proxy: RoundRobinProxy;
const webs: RunningWeb[] = [];
const workers: RunningWorker[] = [];
// A killed worker's job goes to the other once its lock lapses: short enough for the test, long
// enough that a busy machine does not miss a renewal.
const workerSettings = {
  JOB_LOCK_MS: "6000",
  JOB_STALLED_INTERVAL_MS: "1000",
  HTTP_ALLOWED_PRIVATE_CIDRS: "127.0.0.1/32",
};

async function launchWorker(): Promise<RunningWorker> {
  const worker = await startWorker({ ...workerSettings, REDIS_PREFIX: getEnv().REDIS_PREFIX });
  workers.push(worker);
  return worker;
}

beforeAll(async () => {
  // A key prefix of its own, so that only this file's workers take this file's jobs.
  setEnv({ REDIS_PREFIX: `${getEnv().REDIS_PREFIX}-replicas${randomBytes(2).toString("hex")}` });
  proxy = await startRoundRobinProxy();
  // Published at the load balancer's address, as replicas behind a real one are.
  const published = { APP_URL: proxy.url, REDIS_PREFIX: getEnv().REDIS_PREFIX };
  setEnv({ APP_URL: proxy.url });
  webs.push(...(await Promise.all([startWeb(published), startWeb(published)])));
  await Promise.all([launchWorker(), launchWorker()]);
  proxy.setReplicas(webs.map((web) => web.url));
}, 240_000);

afterAll(async () => {
  await Promise.all([...webs, ...workers].map((process) => process.stop("SIGKILL")));
  await proxy?.close();
  await closeTestConnections();
});

/** The replicas that served requests matching `match` (indexes into `webs`). */
function replicasServing(match: (request: RoundRobinProxy["served"][number]) => boolean): Set<number> {
  return new Set(proxy.served.filter(match).map((request) => request.replica));
}

async function usedNow(userId: string) {
  const usage = await getUsage(userId);
  return { hour: usage.hour.used, day: usage.day.used, month: usage.month.used };
}

/** A tools/list POST straight to one replica, addressed as the load balancer's clients address it. */
async function listOnReplica(web: RunningWeb, secret: string): Promise<number> {
  const reply = await rawHttp(`${web.url}/mcp/${secret}`, {
    method: "POST",
    headers: {
      Host: new URL(proxy.url).host,
      "Content-Type": "application/json",
      Accept: acceptBoth,
    },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
  });
  return reply.status;
}

describe("a replica started without a setting it needs", { timeout: 90_000 }, () => {
  it("names each missing setting and exits, web and worker alike", async () => {
    await expect(startWeb({ DATABASE_URL: undefined, ENCRYPTION_KEY: undefined })).rejects.toThrow(
      /The web server cannot start: DATABASE_URL is not set \(.*\); ENCRYPTION_KEY is not set/,
    );
    await expect(startWorker({ REDIS_URL: undefined })).rejects.toThrow(
      /The worker cannot start: REDIS_URL is not set \(set it to a Redis URL/,
    );
  });
});

describe("an MCP session across replicas", { timeout: 90_000 }, () => {
  it("continues on the other replica over Streamable HTTP, progress and all", async () => {
    const tenant = await createTenant(proxy.url, "replica-http");
    const transport = new StreamableHTTPClientTransport(new URL(tenant.url));
    const client = new Client({ name: "replica-test", version: "1.0.0" });
    await client.connect(transport);
    try {
      const sessionId = transport.sessionId;
      expect(sessionId).toBeTruthy();
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toContain("formatter_transform_text");
      for (const text of ["one", "two", "three"]) {
        const result = await client.callTool({
          name: "formatter_transform_text",
          arguments: { text, operation: "uppercase" },
        });
        expect(textOf(result)).toContain(text.toUpperCase());
      }
      const progress: number[] = [];
      const waited = await client.callTool({ name: "delay_wait", arguments: { seconds: 2 } }, undefined, {
        onprogress: ({ progress: done }) => {
          progress.push(done);
        },
      });
      expect(waited.isError).toBeFalsy();
      expect(progress.length).toBeGreaterThan(0);
      // Both replicas served requests that carried the session the first one created.
      expect(replicasServing((request) => request.sessionId === sessionId)).toEqual(new Set([0, 1]));
    } finally {
      await client.close();
    }
  });

  it("answers over the legacy SSE stream on one replica what was posted to the other", async () => {
    const tenant = await createTenant(proxy.url, "replica-sse");
    const client = new Client({ name: "replica-sse-test", version: "1.0.0" });
    const opened = proxy.served.length;
    await client.connect(new SSEClientTransport(new URL(`${tenant.url}/sse`)));
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toContain("formatter_calculate");
      for (const numbers of [
        [1, 2],
        [20, 22],
        [5, 5, 5],
      ]) {
        const result = await client.callTool({
          name: "formatter_calculate",
          arguments: { operation: "add", numbers },
        });
        expect(result.isError).toBeFalsy();
        expect(result.structuredContent).toEqual({ result: numbers.reduce((sum, value) => sum + value, 0) });
      }
      const ours = proxy.served.slice(opened);
      const stream = ours.find((request) => request.method === "GET" && request.path.endsWith("/sse"));
      expect(stream).toBeDefined();
      const posted = ours.filter(
        (request) => request.method === "POST" && request.path.includes("/messages?"),
      );
      expect(posted.length).toBeGreaterThanOrEqual(5);
      expect(posted.every((request) => request.status === 202)).toBe(true);
      // Messages went to the replica without the stream, and their answers still came back on it.
      expect(posted.some((request) => request.replica !== stream!.replica)).toBe(true);
    } finally {
      await client.close();
    }
  });
});

describe("quotas across replicas", { timeout: 90_000 }, () => {
  it("a burst split over both replicas admits exactly the calls left", async () => {
    const tenant = await createTenant(proxy.url, "replica-quota");
    await setLimitOverrides(tenant.userId, { hour: 12, day: 1_000, month: 1_000 });
    for (let index = 0; index < 4; index++) {
      const reply = await postRpc(
        tenant.url,
        callRequest("formatter_transform_text", { text: `warm ${index}`, operation: "uppercase" }),
      );
      expect(responseOf(reply).result?.isError).toBeFalsy();
    }
    const burstStart = proxy.served.length;
    const replies = await Promise.all(
      Array.from({ length: 30 }, (_, index) =>
        postRpc(
          tenant.url,
          callRequest("formatter_transform_text", { text: `burst ${index}`, operation: "uppercase" }),
        ),
      ),
    );
    expect(replies.every((reply) => reply.status === 200)).toBe(true);
    const admitted = replies.filter((reply) => !responseOf(reply).result?.isError);
    const refused = replies.filter((reply) => responseOf(reply).result?.isError);
    expect(admitted).toHaveLength(8);
    expect(refused).toHaveLength(22);
    for (const reply of refused) expect(textOf(responseOf(reply).result)).toMatch(/hourly/i);
    expect(new Set(proxy.served.slice(burstStart).map((request) => request.replica))).toEqual(
      new Set([0, 1]),
    );

    const rows = await getDb().call.groupBy({
      by: ["status"],
      where: { userId: tenant.userId },
      _count: true,
    });
    expect(Object.fromEntries(rows.map((row) => [row.status, row._count]))).toEqual({
      SUCCESS: 12,
      REFUSED: 22,
    });
    expect(await usedNow(tenant.userId)).toEqual({ hour: 12, day: 12, month: 12 });
  });
});

describe("a rotated URL", { timeout: 90_000 }, () => {
  it("is refused by both replicas, and the new one works on both", async () => {
    const tenant = await createTenant(proxy.url, "replica-rotate");
    // Each replica has served the old URL, so whatever it keeps of the server is warm.
    for (const web of webs) expect(await listOnReplica(web, tenant.secret)).toBe(200);
    const rotated = await rotateServerSecret(tenant.userId, tenant.serverId);
    const newSecret = secretOfUrl(rotated.url);
    for (const web of webs) {
      await expect
        .poll(() => listOnReplica(web, tenant.secret), { timeout: 10_000, interval: 100 })
        .toBe(401);
      expect(await listOnReplica(web, newSecret)).toBe(200);
    }
  });
});

describe("a worker killed mid-call", { timeout: 90_000 }, () => {
  /** The pending call of `tenant` once a worker has taken its job, and that worker. */
  async function workerHolding(tenant: Tenant): Promise<{ callId: string; worker: RunningWorker }> {
    let found: { callId: string; worker: RunningWorker } | undefined;
    await expect
      .poll(
        async () => {
          const call = await getDb().call.findFirst({ where: { userId: tenant.userId, status: "PENDING" } });
          if (!call) return false;
          const job = await Job.fromId(getQueue(toolCallJob.queue), call.id);
          const worker = workers.find((candidate) =>
            job?.processedBy?.includes(`:${candidate.process.pid}:`),
          );
          if (worker && (await job?.isActive())) found = { callId: call.id, worker };
          return found !== undefined;
        },
        { timeout: 20_000, interval: 100 },
      )
      .toBe(true);
    return found!;
  }

  async function killAndReplace(worker: RunningWorker): Promise<void> {
    await worker.stop("SIGKILL");
    expect(worker.process.signalCode).toBe("SIGKILL");
    workers.splice(workers.indexOf(worker), 1);
    await launchWorker();
  }

  it("completes the call once on the other worker: one ledger row, counted once", async () => {
    const tenant = await createTenant(proxy.url, "replica-kill", [{ integration: "delay", action: "wait" }]);
    const client = new Client({ name: "replica-kill-test", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(tenant.url)));
    try {
      const call = client.callTool({ name: "delay_wait", arguments: { seconds: 5 } }, undefined, {
        timeout: 90_000,
      });
      const { callId, worker } = await workerHolding(tenant);
      await killAndReplace(worker);
      const result = await call;
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toEqual({ waitedSeconds: 5 });

      const rows = await getDb().call.findMany({ where: { userId: tenant.userId } });
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ id: callId, status: "SUCCESS", counted: true });
      expect(await usedNow(tenant.userId)).toEqual({ hour: 1, day: 1, month: 1 });
      const job = await Job.fromId(getQueue(toolCallJob.queue), callId);
      expect(job?.stalledCounter).toBe(1);
      expect(job?.processedBy).not.toContain(`:${worker.process.pid}:`);
    } finally {
      await client.close();
    }
  }, 120_000);

  it("does not send a request that is not safe to repeat a second time", async () => {
    // The app: takes the request and holds it, as a slow API does, counting what reached it.
    let received = 0;
    const upstream = http.createServer((request) => {
      received++;
      request.resume();
    });
    await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
    const target = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/orders`;
    try {
      const tenant = await createTenant(proxy.url, "replica-kill-post", [
        { integration: "http", action: "request" },
      ]);
      const reply = postRpc(
        tenant.url,
        callRequest("http_request", { method: "POST", url: target, json: { order: 1 } }),
      );
      const { callId, worker } = await workerHolding(tenant);
      await expect.poll(() => received, { timeout: 20_000 }).toBe(1);
      await killAndReplace(worker);
      const result = responseOf(await reply).result;
      expect(result?.isError).toBe(true);
      expect(textOf(result)).toMatch(/not run again because it is not safe to repeat/);

      const rows = await getDb().call.findMany({ where: { userId: tenant.userId } });
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        id: callId,
        status: "ERROR",
        errorCode: "interrupted",
        counted: false,
      });
      expect(await usedNow(tenant.userId)).toEqual({ hour: 0, day: 0, month: 0 });
      // The other worker took the job and finished the call without sending the request again.
      const job = await Job.fromId(getQueue(toolCallJob.queue), callId);
      expect(job?.finishedOn).toBeTruthy();
      expect(job?.processedBy).not.toContain(`:${worker.process.pid}:`);
      expect(received).toBe(1);
    } finally {
      upstream.closeAllConnections();
      upstream.close();
    }
  }, 120_000);
});
