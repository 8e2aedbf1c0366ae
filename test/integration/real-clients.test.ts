// The MCP endpoint with the clients people actually paste the URL into: the MCP Inspector CLI
// (Streamable HTTP) and mcp-remote, the stdio bridge desktop apps use, driven here by the SDK's
// stdio client as a desktop app would drive it. Both run as real processes against the running
// platform (`npm start`), with the demo server from `npm run seed:demo`.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningPlatform, startPlatform } from "@/test/helpers/platform";
import { runScript } from "@/test/helpers/run-script";

const projectRoot = path.resolve(import.meta.dirname, "../..");
const inspectorCli = path.join(projectRoot, "node_modules/@modelcontextprotocol/inspector-cli/build/cli.js");
const mcpRemote = path.join(projectRoot, "node_modules/mcp-remote/dist/proxy.js");

type ToolList = { tools: { name: string; inputSchema: { properties?: Record<string, unknown> } }[] };
type ToolResult = {
  isError?: boolean;
  content: { type: string; text?: string }[];
  structuredContent?: unknown;
};

/** Runs the Inspector CLI (`--cli` mode) and returns its JSON output. */
function inspector(args: string[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    // The CLI looks for its own package.json at "../package.json" relative to the working
    // directory (and imports it relative to itself), so it must run one level below a folder
    // that has a package.json, as it does when started by npx from a project's subfolder.
    const child = spawn(process.execPath, [inspectorCli, "--cli", ...args], {
      cwd: path.join(projectRoot, "test"),
      env: process.env,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`inspector CLI exited with ${code}:\n${stderr}\n${stdout}`));
      try {
        resolve(JSON.parse(stdout));
      } catch {
        reject(new Error(`inspector CLI printed no JSON:\n${stdout}\n${stderr}`));
      }
    });
  });
}

/** An SDK client talking to mcp-remote over stdio, as Claude Desktop and others do. */
async function connectThroughMcpRemote(url: string, extraArgs: string[] = []) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [mcpRemote, url, "--transport", "http-only", ...extraArgs],
    env: { ...(process.env as Record<string, string>), MCP_REMOTE_CONFIG_DIR: configDir },
    stderr: "pipe",
  });
  let log = "";
  transport.stderr?.on("data", (chunk: Buffer) => {
    log += chunk.toString();
  });
  const client = new Client({ name: "real-clients-test", version: "1.0.0" });
  try {
    await client.connect(transport);
  } catch (error) {
    throw new Error(`mcp-remote did not connect: ${(error as Error).message}\n${log}`);
  }
  return { client, log: () => log };
}

let platform: RunningPlatform;
let mcpUrl: string;
let secret: string;
let configDir: string;

beforeAll(async () => {
  configDir = await mkdtemp(path.join(os.tmpdir(), "toolgate-mcp-remote-"));
  platform = await startPlatform();
  const email = `real-clients-${randomBytes(4).toString("hex")}@toolgate.local`;
  const seeded = await runScript("scripts/seed-demo.ts", ["--json", "--email", email], {
    APP_URL: platform.url,
  });
  expect(seeded.code, seeded.stderr).toBe(0);
  mcpUrl = (JSON.parse(seeded.stdout.trim().split("\n").at(-1)!) as { mcpUrl: string }).mcpUrl;
  secret = mcpUrl.slice(mcpUrl.lastIndexOf("/") + 1);
}, 300_000);

afterAll(async () => {
  await platform?.stop();
  if (configDir) await rm(configDir, { recursive: true, force: true });
}, 60_000);

describe("MCP Inspector CLI", () => {
  it("lists the demo tools with their input schemas", { timeout: 90_000 }, async () => {
    const listed = (await inspector([mcpUrl, "--transport", "http", "--method", "tools/list"])) as ToolList;
    const transform = listed.tools.find((tool) => tool.name === "formatter_transform_text");
    expect(transform?.inputSchema.properties).toHaveProperty("text");
    expect(listed.tools.map((tool) => tool.name)).toContain("make_slug");
  });

  it("calls a tool and gets its text and structured result", { timeout: 90_000 }, async () => {
    const result = (await inspector([
      mcpUrl,
      "--transport",
      "http",
      "--method",
      "tools/call",
      "--tool-name",
      "formatter_transform_text",
      "--tool-arg",
      "text=hello from the inspector",
      "operation=uppercase",
    ])) as ToolResult;
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({ result: "HELLO FROM THE INSPECTOR" });
    expect(result.content[0]?.text).toContain("HELLO FROM THE INSPECTOR");
  });

  it("reaches the same server at APP_URL/mcp with an Authorization header", { timeout: 90_000 }, async () => {
    const result = (await inspector([
      `${platform.url}/mcp`,
      "--transport",
      "http",
      "--header",
      `Authorization: Bearer ${secret}`,
      "--method",
      "tools/call",
      "--tool-name",
      "make_slug",
      "--tool-arg",
      "text=Hello World, again!",
    ])) as ToolResult;
    expect(result.structuredContent).toEqual({ result: "hello-world-again" });
  });

  it("fails with an error for a wrong secret", { timeout: 90_000 }, async () => {
    const wrong = `${platform.url}/mcp/tgs_${"A".repeat(43)}`;
    await expect(inspector([wrong, "--transport", "http", "--method", "tools/list"])).rejects.toThrow();
  });
});

describe("mcp-remote (stdio bridge) driven by the SDK's stdio client", () => {
  it("initializes, lists tools and calls one", { timeout: 90_000 }, async () => {
    const { client, log } = await connectThroughMcpRemote(mcpUrl);
    try {
      expect(client.getServerVersion()?.name).toBe("toolgate");
      expect(client.getServerCapabilities()?.tools).toBeDefined();
      const listed = await client.listTools();
      expect(listed.tools.map((tool) => tool.name)).toContain("formatter_count_text");
      const result = (await client.callTool({
        name: "formatter_count_text",
        arguments: { text: "one two three\nfour" },
      })) as ToolResult;
      expect(result.isError, log()).toBeFalsy();
      expect(result.structuredContent).toEqual({ characters: 18, words: 4, lines: 2 });
    } finally {
      await client.close();
    }
  });

  it("passes an Authorization header for APP_URL/mcp", { timeout: 90_000 }, async () => {
    const { client } = await connectThroughMcpRemote(`${platform.url}/mcp`, [
      "--header",
      `Authorization:Bearer ${secret}`,
    ]);
    try {
      const result = (await client.callTool({
        name: "formatter_transform_text",
        arguments: { text: "via header", operation: "titlecase" },
      })) as ToolResult;
      expect(result.structuredContent).toEqual({ result: "Via Header" });
    } finally {
      await client.close();
    }
  });

  it("returns invalid arguments as a tool error the model can read", { timeout: 90_000 }, async () => {
    const { client } = await connectThroughMcpRemote(mcpUrl);
    try {
      const result = (await client.callTool({
        name: "formatter_transform_text",
        arguments: { text: "x", operation: "reverse" },
      })) as ToolResult;
      expect(result.isError).toBe(true);
      expect(result.content[0]?.text).toMatch(/operation/);
    } finally {
      await client.close();
    }
  });
});
