import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { redactUrlPath } from "./logger";

const projectRoot = path.resolve(import.meta.dirname, "../..");

// The logger writes to stdout (fd 1) as it does in production, so the fixture logs from a child
// process and the test reads what an operator would see.
function runLogFixture(secret: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(projectRoot, "node_modules/tsx/dist/cli.mjs"), "test/fixtures/log-secrets.ts", secret],
      { cwd: projectRoot, env: { ...process.env, LOG_LEVEL: "info" } },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(output) : reject(new Error(`exit ${code}: ${output}`))));
  });
}

describe("logger redaction", () => {
  it("never writes secret values, at the top level, nested, or in a child logger", async () => {
    const secret = `canary-${crypto.randomUUID()}`;
    const output = await runLogFixture(secret);
    const lines = output
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);

    expect(lines.map((line) => line.msg)).toEqual(["sign-in attempt", "outbound request", "route log"]);
    expect(output).not.toContain(secret);

    const [signIn, outbound, route] = lines as [
      Record<string, unknown>,
      Record<string, Record<string, Record<string, unknown>>>,
      Record<string, unknown>,
    ];
    // Non-secret fields survive, so the redaction is by key and not "drop everything".
    expect(signIn).toMatchObject({
      email: "someone@example.com",
      password: "[redacted]",
      token: "[redacted]",
    });
    expect(outbound.headers).toMatchObject({
      authorization: "[redacted]",
      cookie: "[redacted]",
      accept: "*/*",
    });
    expect(outbound.request?.headers).toMatchObject({ authorization: "[redacted]" });
    expect(outbound.connection).toMatchObject({ accessToken: "[redacted]", refreshToken: "[redacted]" });
    expect(route).toMatchObject({ route: "/api/v1/things", credentials: "[redacted]", apiKey: "[redacted]" });
  });
});

describe("redactUrlPath", () => {
  it("hides the secret segment of an MCP URL and keeps the rest", () => {
    expect(redactUrlPath("/mcp/s3cr3t-value")).toBe("/mcp/[redacted]");
    expect(redactUrlPath("/api/mcp/s3cr3t-value/tools?cursor=2")).toBe("/api/mcp/[redacted]/tools?cursor=2");
    expect(redactUrlPath("/api/mcp/s3cr3t-value#frag")).toBe("/api/mcp/[redacted]#frag");
  });

  it("leaves other paths alone", () => {
    expect(redactUrlPath("/api/health")).toBe("/api/health");
    expect(redactUrlPath("/mcp")).toBe("/mcp");
  });
});
