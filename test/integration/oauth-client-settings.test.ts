// OAuth clients set by an administrator, across processes as web and worker replicas run them: a
// client saved through one process is used by another for its very next authorize redirect, with
// no restart and no cache to go stale; a removal is seen the same way; the environment's
// <PREFIX>_CLIENT_ID / _CLIENT_SECRET win over it; and the secret is sealed in its row and absent
// from the audit trail and every process's output. On a database of its own, so that the apps of
// concurrently running test files stay unconfigured.
import { type ChildProcess, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import path from "node:path";
import { createInterface } from "node:readline";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getEnv } from "@/env";
import { open } from "@/lib/vault/vault";
import { createScratchDatabase, type ScratchDatabase } from "../helpers/database";

const projectRoot = path.resolve(import.meta.dirname, "../..");
const replicas: ChildProcess[] = [];
const output: string[] = [];
let database: ScratchDatabase;
let client: pg.Client;

const clientSecret = `xoxs-secret-${randomBytes(12).toString("hex")}`;
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

type Replica = { send: (command: object) => Promise<Record<string, unknown>> };

async function startReplica(env: Record<string, string> = {}): Promise<Replica> {
  const child = spawn(process.execPath, ["--import", "tsx", "test/helpers/oauth-client-replica.ts"], {
    cwd: projectRoot,
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      REDIS_PREFIX: getEnv().REDIS_PREFIX,
      LOG_LEVEL: "debug",
      SLACK_CLIENT_ID: "",
      SLACK_CLIENT_SECRET: "",
      GOOGLE_CLIENT_ID: "",
      GOOGLE_CLIENT_SECRET: "",
      ...env,
    },
    stdio: ["pipe", "pipe", "pipe"],
  });
  replicas.push(child);
  child.stderr!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async (): Promise<Record<string, unknown>> => {
    for (;;) {
      const { value, done } = await lines.next();
      if (done) throw new Error(`the replica exited:\n${output.join("")}`);
      output.push(value);
      const parsed = JSON.parse(value) as Record<string, unknown>;
      // The logger writes to stdout too: its lines are kept for the secret check, not answers.
      if (typeof parsed.level !== "number") return parsed;
    }
  };
  expect(await next()).toEqual({ ready: true });
  return {
    send: async (command) => {
      child.stdin!.write(`${JSON.stringify(command)}\n`);
      return next();
    },
  };
}

beforeAll(async () => {
  database = await createScratchDatabase();
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
}, 60_000);

afterAll(async () => {
  for (const replica of replicas) replica.kill("SIGTERM");
  await client?.end();
  await database?.drop();
});

describe("an OAuth client set by an administrator", () => {
  it("is used by another process at once, removed the same way, and the environment wins", async () => {
    const [web, worker] = await Promise.all([startReplica(), startReplica()]);
    // Nobody has set Slack up: both say so, naming who can fix it.
    for (const replica of [web!, worker!])
      expect((await replica.send({ authorize: "slack" })).error).toMatch(
        /Slack is not set up on this platform yet: an administrator needs to set it up on the Integrations page/,
      );

    expect(
      await web!.send({
        save: { prefix: "SLACK", clientId: "  1234.5678  ", clientSecret: ` ${clientSecret}\n` },
      }),
    ).toEqual({ saved: true });
    // The other process's next redirect already carries it (trimmed): no restart, nothing to wait for.
    expect(await worker!.send({ authorize: "slack" })).toEqual({
      clientId: "1234.5678",
      authorizeUrl: "https://slack.com/oauth/v2/authorize",
    });
    expect(await worker!.send({ client: "slack" })).toEqual({
      clientId: "1234.5678",
      source: "stored",
      secretSha256: sha256(clientSecret),
    });
    // Google's apps share another client, still unset.
    expect((await worker!.send({ authorize: "gmail" })).error).toMatch(/Gmail is not set up/);

    // The environment's client wins over the stored one.
    const configured = await startReplica({
      SLACK_CLIENT_ID: "env-client",
      SLACK_CLIENT_SECRET: "env-secret",
    });
    expect((await configured.send({ authorize: "slack" })).clientId).toBe("env-client");
    expect(await configured.send({ client: "slack" })).toMatchObject({
      source: "environment",
      secretSha256: sha256("env-secret"),
    });
    // One of the two alone is not a client: the stored one is used.
    const half = await startReplica({ SLACK_CLIENT_ID: "env-client" });
    expect((await half.send({ authorize: "slack" })).clientId).toBe("1234.5678");

    expect(await web!.send({ remove: "SLACK" })).toEqual({ removed: true });
    expect((await worker!.send({ authorize: "slack" })).error).toMatch(/Slack is not set up/);
    expect((await configured.send({ authorize: "slack" })).clientId).toBe("env-client");
  }, 90_000);

  it("keeps the secret sealed in its row and out of the audit trail and the logs", async () => {
    const replica = await startReplica();
    expect(await replica.send({ save: { prefix: "SLACK", clientId: "1234.5678", clientSecret } })).toEqual({
      saved: true,
    });
    // Saving the id alone keeps the secret; with no secret stored, an empty one is refused by name.
    expect(
      await replica.send({ save: { prefix: "SLACK", clientId: "1234.9999", clientSecret: "" } }),
    ).toEqual({
      saved: true,
    });
    expect(await replica.send({ save: { prefix: "GOOGLE", clientId: "g.apps", clientSecret: "" } })).toEqual({
      error: "Enter the client secret.",
    });
    expect((await replica.send({ client: "slack" })).secretSha256).toBe(sha256(clientSecret));

    const { rows } = await client.query(`SELECT * FROM "IntegrationClient"`);
    expect(rows).toHaveLength(1);
    const row = rows[0];
    expect(row).toMatchObject({
      prefix: "SLACK",
      clientId: "1234.9999",
      updatedByEmail: "replica-admin@example.test",
    });
    const wholeRow = JSON.stringify(rows) + Buffer.from(row.secretCiphertext).toString("latin1");
    expect(wholeRow).not.toContain(clientSecret);
    expect(wholeRow).not.toContain(Buffer.from(clientSecret).toString("base64"));
    // Sealed with the vault, bound to its prefix: it opens as SLACK's and as nothing else.
    expect(await open(row.secretCiphertext, { oauthClient: "SLACK" })).toBe(clientSecret);
    await expect(open(row.secretCiphertext, { oauthClient: "GOOGLE" })).rejects.toThrow(/failed to decrypt/);

    const audit = await client.query(
      `SELECT action, "targetType", "targetId", metadata FROM "AuditEvent" WHERE "targetType" = 'oauth_client' ORDER BY "createdAt"`,
    );
    expect(audit.rows.map((event) => event.action)).toEqual([
      "integration_client.saved",
      "integration_client.removed",
      "integration_client.saved",
      "integration_client.saved",
    ]);
    expect(audit.rows.at(-1)).toEqual({
      action: "integration_client.saved",
      targetType: "oauth_client",
      targetId: "SLACK",
      metadata: { clientId: "1234.9999", secretReplaced: false },
    });
    expect(JSON.stringify(audit.rows)).not.toContain(clientSecret);
    expect(output.join("")).not.toContain(clientSecret);
  }, 60_000);
});
