// An upstream MCP server added as an app, used through the platform as any app is: its accepted
// tools become tools of a server, calls are admitted (validated, counted) and run by the real
// worker, which reads the app afresh and calls the upstream with the connection's credential; a
// definition changed upstream stops being callable until accepted again, and an upstream that
// cannot be reached gives a clear tool error at once. Against the local SDK upstream on loopback
// (this platform allows exactly 127.0.0.1/32).
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acceptActions, applyDiscovery } from "@/lib/apps/app-definitions";
import type { AppRecord, PreparedApp } from "@/lib/apps/app-driver";
import { createApp, refreshApp } from "@/lib/apps/manage-apps";
import { mcpDriver } from "@/lib/apps/mcp/mcp-driver";
import { getDb } from "@/lib/db/client";
import { seal, sealOwner } from "@/lib/vault/vault";
import { type McpUpstream, startMcpUpstream, upstreamToken } from "../emulators/mcp-upstream";
import { type AppHarness, startAppHarness } from "../helpers/app-harness";

let upstream: McpUpstream;
let harness: AppHarness;

beforeAll(async () => {
  upstream = await startMcpUpstream();
  harness = await startAppHarness({ HTTP_ALLOWED_PRIVATE_CIDRS: "127.0.0.1/32" });
}, 120_000);

afterAll(async () => {
  await harness?.stop();
  await upstream?.stop();
});

/** Adds the app as POST /apps will: prepared, stored with its sealed headers, clean actions accepted. */
async function addApp(input: Record<string, unknown>): Promise<{ app: AppRecord; prepared: PreparedApp }> {
  const prepared = await mcpDriver.prepare(input, AbortSignal.timeout(20_000));
  const row = await getDb().app.create({
    data: {
      slug: `mcp-${randomBytes(4).toString("hex")}`,
      kind: "MCP",
      name: prepared.name,
      description: prepared.description,
      userId: harness.userId,
      source: prepared.source as object,
      auth: prepared.auth as object,
    },
  });
  if (Object.keys(prepared.headers).length > 0) {
    const { ciphertext, keyVersion } = await seal(prepared.headers, {
      userId: sealOwner(row),
      appId: row.id,
    });
    await getDb().app.update({ where: { id: row.id }, data: { sealedHeaders: ciphertext, keyVersion } });
  }
  await applyDiscovery(row.id, prepared.actions, { acceptClean: true });
  const app: AppRecord = {
    ...row,
    kind: "MCP",
    headers: prepared.headers,
  };
  return { app, prepared };
}

describe("an upstream MCP server's tools through the platform", () => {
  let app: AppRecord;

  beforeAll(async () => {
    ({ app } = await addApp({ name: "Emulated", url: upstream.url }));
  });

  it("runs a tool on the worker and returns the upstream's answer", async () => {
    const result = await harness.call(app.slug, "echo", { message: "through the platform" });
    expect(result.isError, result.text).toBe(false);
    expect(result.output).toBe("Echo: through the platform");
    const forecast = await harness.call(app.slug, "forecast", { city: "Lima" });
    expect(forecast.output).toEqual({ city: "Lima", celsius: 21 });
  });

  it("validates arguments against the upstream's schema before anything is queued", async () => {
    const before = upstream.requests.length;
    const result = await harness.call(app.slug, "echo", { message: 42 });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/message/);
    expect(upstream.requests.length).toBe(before);
  });

  it("gives the upstream's tool error as the tool error", async () => {
    const result = await harness.call(app.slug, "refuse", {});
    expect(result).toMatchObject({ isError: true, text: "The upstream refuses: no quota left here." });
  });

  it("stops calling a tool whose definition changed upstream until it is accepted again", async () => {
    upstream.setForecastDescription("The weather, now with a changed description.");
    try {
      const summary = await applyDiscovery(
        app.id,
        await mcpDriver.discover(app, { connection: null, signal: AbortSignal.timeout(20_000) }),
        { acceptClean: false },
      );
      expect(summary.changed).toEqual(["forecast"]);
      const before = upstream.requests.length;
      await expect(harness.call(app.slug, "forecast", { city: "Lima" })).rejects.toThrow(/forecast/);
      expect(upstream.requests.length).toBe(before);

      const row = await getDb().appAction.findFirstOrThrow({ where: { appId: app.id, key: "forecast" } });
      await acceptActions(app.id, { forecast: row.hash });
      const accepted = await harness.call(app.slug, "forecast", { city: "Quito" });
      expect(accepted.output).toEqual({ city: "Quito", celsius: 21 });
    } finally {
      upstream.setForecastDescription("The weather tomorrow in a city.");
    }
  });
});

describe("an upstream that asks for a bearer token", () => {
  it("calls it with the caller's connection, and says so when the connection's token is refused", async () => {
    const { app } = await addApp({
      name: "Locked",
      url: upstream.authUrl,
      headers: { "X-Team": "blue" },
      auth: { type: "header", scheme: "Bearer" },
      credentials: { value: upstreamToken },
    });
    const good = await harness.connectWithKey(app.slug, { value: upstreamToken }, "Good");
    const before = upstream.requests.length;
    const result = await harness.call(app.slug, "echo", { message: "with a token" }, { connectionId: good });
    expect(result.isError, result.text).toBe(false);
    expect(result.output).toBe("Echo: with a token");
    const sent = upstream.requests.slice(before).filter((request) => request.path === "/auth/mcp");
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((request) => request.headers.authorization === `Bearer ${upstreamToken}`)).toBe(true);
    expect(sent.every((request) => request.headers["x-team"] === "blue")).toBe(true);

    const stale = await harness.connectWithKey(app.slug, { value: "revoked-token" }, "Stale");
    const refused = await harness.call(app.slug, "echo", { message: "x" }, { connectionId: stale });
    expect(refused.isError).toBe(true);
    expect(refused.text).toMatch(/Locked rejected the connection's credentials \(HTTP 401\)/);
    expect(refused.text).not.toContain("revoked-token");
    const connection = await getDb().connection.findUniqueOrThrow({ where: { id: stale } });
    expect(connection.status).not.toBe("OK");
  });
});

describe("added as POST /apps adds it (createApp), refreshed as its page does (refreshApp)", () => {
  it("stores the app with its first connection, serves its tools, and pins a changed one on refresh", async () => {
    const added = await createApp(harness.userId, {
      kind: "mcp",
      name: "Through createApp",
      url: upstream.authUrl,
      headers: { "X-Team": "green" },
      auth: { type: "header", scheme: "Bearer" },
      credentials: { value: upstreamToken },
    });
    expect(added.connection).toMatchObject({ error: null });
    expect(added.discovery.added).toEqual(["echo", "forecast", "slow", "refuse", "picture", "headers"]);
    const stored = await getDb().app.findUniqueOrThrow({ where: { slug: added.slug } });
    expect(stored.source).toEqual({ url: upstream.authUrl, transport: "streamable-http" });
    expect(JSON.stringify(stored)).not.toContain(upstreamToken);

    const result = await harness.call(
      added.slug,
      "echo",
      { message: "added" },
      {
        connectionId: added.connection?.id ?? null,
      },
    );
    expect(result.isError, result.text).toBe(false);
    expect(result.output).toBe("Echo: added");

    upstream.setForecastDescription("The weather, changed once more.");
    try {
      const refreshed = await refreshApp(harness.userId, added.slug);
      expect(refreshed.discovery.changed).toEqual(["forecast"]);
      expect(upstream.requests.at(-1)?.headers.authorization).toBe(`Bearer ${upstreamToken}`);
      await expect(harness.call(added.slug, "forecast", { city: "Bern" })).rejects.toThrow(/forecast/);
    } finally {
      upstream.setForecastDescription("The weather tomorrow in a city.");
    }
  });
});

describe("an upstream that cannot be reached", () => {
  it("fails the call quickly with a clear tool error", async () => {
    const { app } = await addApp({ name: "Soon gone", url: upstream.url });
    const { createServer } = await import("node:net");
    const port = await new Promise<number>((resolve) => {
      const probe = createServer();
      probe.listen(0, "127.0.0.1", () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
      });
    });
    await getDb().app.update({
      where: { id: app.id },
      data: { source: { url: `http://127.0.0.1:${port}/mcp`, transport: "streamable-http" } },
    });
    const started = Date.now();
    const result = await harness.call(app.slug, "echo", { message: "anyone?" });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(new RegExp(`Soon gone.*127\\.0\\.0\\.1:${port} refused the connection`));
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(await getDb().app.findUniqueOrThrow({ where: { id: app.id } })).toMatchObject({ healthy: false });
  });
});
