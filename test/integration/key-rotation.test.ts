// `npm run cli -- keys rotate` with an operator-set key: every connection (an organization's, sealed
// for the organization, included), every secret field
// value of a tool and every OAuth client secret set on the admin page sealed by the old key is
// re-encrypted under the new one, and afterwards opens with
// the new key alone. On a database of its own, so that rows of concurrently running tests keep
// their key.
import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setEnv } from "@/env";
import { appOAuthClientSealContext } from "@/lib/apps/app-oauth";
import { forgetKeyring, keyIdOf, parseKey } from "@/lib/vault/keyring";
import { open, readKeyId, sealWithKey } from "@/lib/vault/vault";
import { createScratchDatabase, type ScratchDatabase } from "../helpers/database";
import { runScript } from "../helpers/run-script";

const oldKey = randomBytes(32).toString("base64");
const newKey = randomBytes(32).toString("base64");
let database: ScratchDatabase;
let client: pg.Client;
/** `sealFor`: whom the ciphertext is bound to (sealOwner: the user, or `org:<id>` for an org's). */
const rows: Array<{ id: string; userId: string; sealFor: string; secret: string }> = [];
const fieldValues: Array<{ userId: string; toolId: string; field: string; value: unknown }> = [];
const clientSecret = `client-secret-${randomBytes(8).toString("hex")}`;
const appId = randomUUID();
const appHeaders = { "X-Api-Key": `app-header-${randomBytes(8).toString("hex")}` };
const appClientSecret = `app-client-secret-${randomBytes(8).toString("hex")}`;

beforeAll(async () => {
  database = await createScratchDatabase();
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const key = parseKey(oldKey, "old");
  for (let index = 0; index < 3; index++) {
    const userId = randomUUID();
    const id = randomUUID();
    const secret = `token-${index}-${randomBytes(8).toString("hex")}`;
    await client.query(`INSERT INTO "User" (id, email, "updatedAt") VALUES ($1, $2, now())`, [
      userId,
      `rotate-${index}-${userId}@test.local`,
    ]);
    await client.query(
      `INSERT INTO "Connection" (id, "userId", integration, label, "authType", ciphertext, "keyVersion", "updatedAt")
       VALUES ($1, $2, 'todoist', 'Todoist', 'api_key', $3, $4, now())`,
      [
        id,
        userId,
        Buffer.from(sealWithKey(key, JSON.stringify({ api_token: secret }), { userId, connectionId: id })),
        key.id,
      ],
    );
    rows.push({ id, userId, sealFor: userId, secret });
  }
  // An organization's connection, made by the first user, is sealed for the organization.
  const orgId = randomUUID();
  await client.query(
    `INSERT INTO "Organization" (id, name, "updatedAt") VALUES ($1, 'Rotating Org', now())`,
    [orgId],
  );
  const orgConnectionId = randomUUID();
  const orgSecret = `org-token-${randomBytes(8).toString("hex")}`;
  await client.query(
    `INSERT INTO "Connection" (id, "userId", "orgId", integration, label, "authType", ciphertext, "keyVersion", "updatedAt")
     VALUES ($1, $2, $3, 'todoist', 'Todoist', 'api_key', $4, $5, now())`,
    [
      orgConnectionId,
      rows[0]!.userId,
      orgId,
      Buffer.from(
        sealWithKey(key, JSON.stringify({ api_token: orgSecret }), {
          userId: `org:${orgId}`,
          connectionId: orgConnectionId,
        }),
      ),
      key.id,
    ],
  );
  rows.push({ id: orgConnectionId, userId: rows[0]!.userId, sealFor: `org:${orgId}`, secret: orgSecret });
  // A tool with a secret header and a secret URL, on the first user's server.
  const userId = rows[0]!.userId;
  const serverId = randomUUID();
  const toolId = randomUUID();
  await client.query(
    `INSERT INTO "McpServer" (id, "userId", name, "secretHash", "updatedAt") VALUES ($1, $2, 'Server', $3, now())`,
    [serverId, userId, randomBytes(32).toString("hex")],
  );
  await client.query(
    `INSERT INTO "Tool" (id, "serverId", integration, action, name, fields, "updatedAt")
     VALUES ($1, $2, 'webhook', 'post_json', 'hook', $3, now())`,
    [
      toolId,
      serverId,
      JSON.stringify({ url: { mode: "fixed", secret: true }, headers: { mode: "fixed", secret: true } }),
    ],
  );
  for (const [field, value] of [
    ["url", `https://hooks.example.com/${randomBytes(8).toString("hex")}`],
    ["headers", { "X-Webhook-Token": randomBytes(8).toString("hex") }],
  ] as const) {
    const context = { userId, toolId, field };
    await client.query(
      `INSERT INTO "SealedFieldValue" ("toolId", field, ciphertext, "keyVersion") VALUES ($1, $2, $3, $4)`,
      [toolId, field, Buffer.from(sealWithKey(key, JSON.stringify(value), context)), key.id],
    );
    fieldValues.push({ ...context, value });
  }
  await client.query(
    `INSERT INTO "IntegrationClient" (prefix, "clientId", "secretCiphertext", "keyVersion", "secretSetAt", "updatedByEmail", "updatedAt")
     VALUES ('SLACK', 'slack-client', $1, $2, now(), 'admin@test.local', now())`,
    [Buffer.from(sealWithKey(key, JSON.stringify(clientSecret), { oauthClient: "SLACK" })), key.id],
  );
  // An added app with headers of its own for its upstream.
  await client.query(
    `INSERT INTO "App" (id, slug, kind, name, "userId", source, auth, "sealedHeaders", "keyVersion", "updatedAt")
     VALUES ($1, 'upstream-k3y5', 'MCP', 'Upstream', $2, '{"url":"https://mcp.example.com/mcp"}', '{"type":"none"}', $3, $4, now())`,
    [appId, userId, Buffer.from(sealWithKey(key, JSON.stringify(appHeaders), { userId, appId })), key.id],
  );
  // Its OAuth client, given by its owner with a secret.
  await client.query(
    `INSERT INTO "AppOAuthClient" ("appId", "clientId", "secretCiphertext", "keyVersion", "registeredBy", "updatedAt")
     VALUES ($1, 'app-client', $2, $3, 'owner', now())`,
    [
      appId,
      Buffer.from(sealWithKey(key, JSON.stringify(appClientSecret), appOAuthClientSealContext(appId))),
      key.id,
    ],
  );
}, 60_000);

afterAll(async () => {
  await client?.end();
  await database?.drop();
});

describe("keys rotate", () => {
  it("re-encrypts every connection and secret field value under the new key", async () => {
    const result = await runScript("scripts/cli.ts", ["keys", "rotate"], {
      DATABASE_URL: database.url,
      ENCRYPTION_KEY: newKey,
      ENCRYPTION_OLD_KEYS: oldKey,
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "Re-encrypted 4 connection(s), 2 secret field value(s), 2 OAuth client secret(s) and 1 added app's header set(s)",
    );
    const audit = await client.query(
      `SELECT action, "targetId", metadata FROM "AuditEvent" WHERE action = 'keys.rotated'`,
    );
    expect(audit.rows).toEqual([
      {
        action: "keys.rotated",
        targetId: String(keyIdOf(Buffer.from(newKey, "base64"))),
        metadata: {
          generatedKey: false,
          reencrypted: 4,
          reencryptedFieldValues: 2,
          reencryptedClients: 2,
          reencryptedAppHeaders: 1,
        },
      },
    ]);
    expect(JSON.stringify(audit.rows)).not.toContain(newKey);

    const stored = await client.query(`SELECT id, ciphertext, "keyVersion" FROM "Connection" ORDER BY id`);
    const newKeyId = keyIdOf(Buffer.from(newKey, "base64"));
    for (const row of stored.rows) {
      expect(row.keyVersion).toBe(newKeyId);
      expect(readKeyId(row.ciphertext)).toBe(newKeyId);
    }
    // Readable with the new key alone, and no longer with the old one.
    setEnv({ ENCRYPTION_KEY: newKey, ENCRYPTION_OLD_KEYS: "" });
    forgetKeyring();
    for (const expected of rows) {
      const row = stored.rows.find((candidate) => candidate.id === expected.id);
      const context = { userId: expected.sealFor, connectionId: expected.id };
      expect(await open(row.ciphertext, context)).toEqual({ api_token: expected.secret });
    }
    const sealedFields = await client.query(
      `SELECT "toolId", field, ciphertext, "keyVersion" FROM "SealedFieldValue"`,
    );
    expect(sealedFields.rows).toHaveLength(2);
    for (const expected of fieldValues) {
      const row = sealedFields.rows.find((candidate) => candidate.field === expected.field);
      expect(row.keyVersion).toBe(newKeyId);
      const { value, ...context } = expected;
      expect(await open(row.ciphertext, context)).toEqual(value);
    }
    const sealedClient = await client.query(
      `SELECT "secretCiphertext", "keyVersion" FROM "IntegrationClient"`,
    );
    expect(sealedClient.rows[0].keyVersion).toBe(newKeyId);
    expect(await open(sealedClient.rows[0].secretCiphertext, { oauthClient: "SLACK" })).toBe(clientSecret);
    const sealedAppClient = await client.query(
      `SELECT "secretCiphertext", "keyVersion" FROM "AppOAuthClient"`,
    );
    expect(sealedAppClient.rows[0].keyVersion).toBe(newKeyId);
    expect(await open(sealedAppClient.rows[0].secretCiphertext, appOAuthClientSealContext(appId))).toBe(
      appClientSecret,
    );
    const sealedApp = await client.query(`SELECT "userId", "sealedHeaders", "keyVersion" FROM "App"`);
    expect(sealedApp.rows[0].keyVersion).toBe(newKeyId);
    expect(await open(sealedApp.rows[0].sealedHeaders, { userId: sealedApp.rows[0].userId, appId })).toEqual(
      appHeaders,
    );
    setEnv({ ENCRYPTION_KEY: oldKey });
    forgetKeyring();
    const first = rows.find((row) => row.id === stored.rows[0].id)!;
    await expect(
      open(stored.rows[0].ciphertext, { userId: first.sealFor, connectionId: first.id }),
    ).rejects.toThrow(/not configured/);
  });

  it("has nothing left to do when run again", async () => {
    const again = await runScript("scripts/cli.ts", ["keys", "rotate"], {
      DATABASE_URL: database.url,
      ENCRYPTION_KEY: newKey,
      ENCRYPTION_OLD_KEYS: oldKey,
    });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(
      "Re-encrypted 0 connection(s), 0 secret field value(s), 0 OAuth client secret(s) and 0 added app's header set(s)",
    );
  });
});
