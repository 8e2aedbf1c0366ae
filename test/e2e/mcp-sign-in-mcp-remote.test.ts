// `mcp-remote`, the stdio bridge that desktop apps without remote-server support run, signs in to
// the platform's MCP endpoint with OAuth, end to end against `npm start`: started as a stdio server
// for the SDK's client, it discovers and registers on its own, prints the authorization URL and
// waits on its own loopback port; the person answers in Chromium; then tools are listed and called
// through it. Its tokens stay in its config directory, so a second run needs no sign-in, until
// the person's grant is revoked.

import { readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { getDefaultEnvironment, StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashCredential } from "@/lib/authorization-server/credentials";
import { revokeGrant } from "@/lib/authorization-server/grants";
import { getDb } from "@/lib/db/client";
import { launchChromium } from "../helpers/browser";
import { createTenant, postRpc, type Tenant, textOf } from "../helpers/mcp";
import { answerConsent } from "../helpers/mcp-oauth-client";
import {
  createDataDir,
  type RunningPlatform,
  startPlatform,
  stopStartedPlatforms,
} from "../helpers/platform";
import { closeTestConnections } from "../helpers/teardown";

const password = "correct horse battery";
const proxyScript = path.resolve(import.meta.dirname, "../../node_modules/mcp-remote/dist/proxy.js");
const authorizePrompt = /Please authorize this client by visiting:\s*(\S+)/;

let platform: RunningPlatform;
let browser: Browser;
let context: BrowserContext;
let ada: Tenant;
let configDir: string;
const proxies = new Set<StdioClientTransport>();

beforeAll(async () => {
  platform = await startPlatform();
  [browser, ada, configDir] = await Promise.all([
    launchChromium(),
    createTenant("http://placeholder", "mcp-remote"),
    createDataDir("mcp-remote-config"),
  ]);
  context = await browser.newContext();
}, 240_000);

afterAll(async () => {
  for (const transport of proxies) await stopProxy(transport);
  await browser?.close();
  await stopStartedPlatforms();
  await closeTestConnections();
  if (configDir) await rm(configDir, { recursive: true, force: true });
});

type Proxy = { client: Client; transport: StdioClientTransport; output: () => string };

/** mcp-remote as a desktop app runs it: a stdio server, its sign-in state kept in `configDir`. */
function spawnMcpRemote(): Proxy {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [
      proxyScript,
      `${platform.url}/mcp`,
      "--allow-http",
      "--transport",
      "http-only",
      "--auth-timeout",
      "150",
    ],
    // BROWSER=false: it cannot open a browser here, so it only prints the URL, which the test drives.
    env: { ...getDefaultEnvironment(), MCP_REMOTE_CONFIG_DIR: configDir, BROWSER: "false" },
    stderr: "pipe",
  });
  let output = "";
  transport.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  proxies.add(transport);
  return {
    client: new Client({ name: "mcp-remote-tests", version: "1.0.0" }),
    transport,
    output: () => output,
  };
}

/** Closes the client's side (mcp-remote exits when its stdin ends), then makes sure the process is gone. */
async function stopProxy(transport: StdioClientTransport): Promise<void> {
  const pid = transport.pid;
  await transport.close().catch(() => undefined);
  proxies.delete(transport);
  if (pid === null || pid === undefined) return;
  for (let waited = 0; waited < 5_000 && isAlive(pid); waited += 100)
    await new Promise((resolve) => setTimeout(resolve, 100));
  if (isAlive(pid)) process.kill(pid, "SIGKILL");
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The authorization URL mcp-remote prints, once it has printed it. */
async function authorizationUrlOf(proxy: Proxy, settled: () => boolean): Promise<URL> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const printed = proxy.output().match(authorizePrompt)?.[1];
    if (printed) return new URL(printed);
    if (settled() || Date.now() > deadline)
      throw new Error(`mcp-remote printed no authorization URL:\n${proxy.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** What mcp-remote saved in its config directory under `suffix` (one server, so one file). */
async function readSaved(suffix: string): Promise<Record<string, unknown>> {
  const directory = path.join(configDir, "mcp-remote-v1");
  const names = (await readdir(directory)).filter((name) => name.endsWith(suffix));
  expect(names).toHaveLength(1);
  return JSON.parse(await readFile(path.join(directory, names[0] ?? ""), "utf8"));
}

/** A raw tools/list with an access token, as any client would send it. */
const listToolsWith = (accessToken: string) =>
  postRpc(
    `${platform.url}/mcp`,
    { jsonrpc: "2.0", id: 1, method: "tools/list" },
    { Authorization: `Bearer ${accessToken}` },
  );

describe("signing in through mcp-remote", () => {
  it("registers, has the person answer the printed URL in Chromium, and lists and calls tools", async () => {
    const proxy = spawnMcpRemote();
    let settled = false;
    const connected = proxy.client.connect(proxy.transport, { timeout: 180_000 }).finally(() => {
      settled = true;
    });
    connected.catch(() => undefined);

    const authorizationUrl = await authorizationUrlOf(proxy, () => settled);
    expect(authorizationUrl.origin).toBe(platform.url);
    expect(authorizationUrl.pathname).toBe("/oauth/authorize");
    expect(authorizationUrl.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorizationUrl.searchParams.get("client_id")).toMatch(/^tgcl_/);
    const redirectUri = new URL(authorizationUrl.searchParams.get("redirect_uri") ?? "");
    expect(redirectUri.protocol).toBe("http:");
    expect(redirectUri.hostname).toBe("localhost");

    const page = await context.newPage();
    try {
      await answerConsent(page, authorizationUrl.toString(), {
        credentials: { email: ada.email, password },
        server: { existing: "mcp-remote server" },
      });
      // The browser lands on mcp-remote's own callback page once the code has reached it.
      await page.waitForURL((url) => url.host === redirectUri.host);
      await connected;
    } finally {
      await page.close();
    }

    try {
      const { tools } = await proxy.client.listTools();
      expect(tools.map((tool) => tool.name)).toContain("formatter_transform_text");
      const result = await proxy.client.callTool({
        name: "formatter_transform_text",
        arguments: { text: "through mcp-remote", operation: "uppercase" },
      });
      expect(textOf(result)).toContain("THROUGH MCP-REMOTE");
    } finally {
      await stopProxy(proxy.transport);
    }

    const tokens = await readSaved("_tokens.json");
    expect(tokens.access_token).toMatch(/^tga_/);
    expect(tokens.refresh_token).toMatch(/^tgr_/);
    const stored = await getDb().mcpToken.findUniqueOrThrow({
      where: { tokenHash: hashCredential(String(tokens.access_token)) },
      include: { grant: { include: { client: true } } },
    });
    expect(stored.kind).toBe("access");
    expect(stored.grant.serverId).toBe(ada.serverId);
    expect(stored.grant.client.name).toBe("MCP CLI Proxy");
    expect(stored.grant.client.clientId).toBe(authorizationUrl.searchParams.get("client_id"));
    const calls = await getDb().call.count({
      where: { userId: ada.userId, serverId: ada.serverId, counted: true },
    });
    expect(calls).toBe(1);
  }, 240_000);

  it("runs again on the saved tokens without asking the person", async () => {
    const proxy = spawnMcpRemote();
    try {
      await proxy.client.connect(proxy.transport, { timeout: 60_000 });
      const result = await proxy.client.callTool({
        name: "formatter_transform_text",
        arguments: { text: "second run", operation: "uppercase" },
      });
      expect(textOf(result)).toContain("SECOND RUN");
    } finally {
      await stopProxy(proxy.transport);
    }
    expect(proxy.output()).not.toMatch(authorizePrompt);
  }, 120_000);

  it("is refused once the person's grant is revoked, and mcp-remote asks the person again", async () => {
    const tokens = await readSaved("_tokens.json");
    const accessToken = String(tokens.access_token);
    expect((await listToolsWith(accessToken)).status).toBe(200);
    const { grantId } = await getDb().mcpToken.findUniqueOrThrow({
      where: { tokenHash: hashCredential(accessToken) },
    });
    await revokeGrant(ada.userId, grantId);
    expect((await listToolsWith(accessToken)).status).toBe(401);

    const proxy = spawnMcpRemote();
    let settled = false;
    const connected = proxy.client.connect(proxy.transport, { timeout: 180_000 }).finally(() => {
      settled = true;
    });
    connected.catch(() => undefined);
    try {
      const again = await authorizationUrlOf(proxy, () => settled);
      expect(again.origin).toBe(platform.url);
      expect(again.searchParams.get("code_challenge_method")).toBe("S256");
    } finally {
      await stopProxy(proxy.transport);
    }
    // Its refresh was refused and issued nothing: the grant still has only the first sign-in's pair.
    const issued = await getDb().mcpToken.findMany({ where: { grantId }, select: { tokenHash: true } });
    expect(issued.map((token) => token.tokenHash).sort()).toEqual(
      [hashCredential(accessToken), hashCredential(String(tokens.refresh_token))].sort(),
    );
  }, 180_000);
});
