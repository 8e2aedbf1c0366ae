// Once per `npm test`: a fresh PostgreSQL database and Redis key prefix for this run (so runs
// cannot disturb each other), migrations applied, and the production build made if stale.
// Uses DATABASE_URL / REDIS_URL when set; otherwise the local services, and when there are none,
// the same embedded PostgreSQL and redis-server that `npm start` uses.
import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import pg from "pg";
import { disconnectDb } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrations";
import { buildIfNeeded } from "@/lib/runtime/build";
import { type Child, stopChild } from "@/lib/runtime/children";
import { canConnect, startEmbeddedPostgres } from "@/lib/runtime/embedded-postgres";
import { canPing, startEmbeddedRedis } from "@/lib/runtime/embedded-redis";
import { createUser } from "@/lib/users/create-user";
import { findChromium } from "../helpers/find-chromium";
import { createDataDir } from "../helpers/platform";
import { createTestCertificate } from "../helpers/tls";

const runId = `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
const started: Child[] = [];
let scratchDir: string | undefined;
let dropDatabase: (() => Promise<void>) | undefined;
let serverUrl: string | undefined;

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function provideDatabase(): Promise<string> {
  const localUrl = `postgresql://${os.userInfo().username}@127.0.0.1:5432/postgres`;
  serverUrl = process.env.DATABASE_URL ?? ((await canConnect(localUrl)) ? localUrl : undefined);
  if (!serverUrl) {
    scratchDir ??= await createDataDir("test");
    const embedded = await startEmbeddedPostgres({
      directory: path.join(scratchDir, "postgres"),
      password: randomBytes(24).toString("base64url"),
    });
    started.push(embedded.child);
    serverUrl = embedded.url;
  }
  const database = `toolgate_test_${runId}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${database}"`);
  await admin.end();
  const adminUrl = serverUrl;
  dropDatabase = async () => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await client.end();
  };
  return withDatabase(serverUrl, database);
}

async function provideRedis(): Promise<string> {
  if (process.env.REDIS_URL) return process.env.REDIS_URL;
  const localUrl = "redis://127.0.0.1:6379";
  if (await canPing(localUrl)) return localUrl;
  scratchDir ??= await createDataDir("test");
  const embedded = await startEmbeddedRedis(scratchDir);
  started.push(embedded.child);
  return embedded.url;
}

/**
 * Finds the page tests' Chromium once, so that the packaged one is unpacked by one process rather
 * than by several test files at once; the test files then read the choice from CHROMIUM_PATH.
 */
async function chooseBrowser(): Promise<void> {
  try {
    const choice = await findChromium();
    process.env.CHROMIUM_PATH = choice.path;
    console.log(`page tests use Chromium at ${choice.path} (${choice.source})`);
  } catch (error) {
    // Only the page tests need it; they report the same message when they launch.
    console.warn(`no Chromium for the page tests: ${(error as Error).message}`);
  }
}

/**
 * A certificate for https servers on the loopback (test/helpers/tls.ts), trusted by every test
 * process and platform of the run through NODE_EXTRA_CA_CERTS, which Node reads only at start-up:
 * so it is set here, before vitest starts the test processes.
 */
async function trustTestCertificate(): Promise<void> {
  try {
    scratchDir ??= await createDataDir("test");
    const made = await createTestCertificate(scratchDir, process.env.NODE_EXTRA_CA_CERTS);
    Object.assign(process.env, {
      TEST_TLS_CERT: made.certFile,
      TEST_TLS_KEY: made.keyFile,
      NODE_EXTRA_CA_CERTS: made.bundleFile,
    });
  } catch (error) {
    // Only the tests of https destinations need it; they report the missing certificate.
    console.warn(`no TLS certificate for the https tests: ${(error as Error).message}`);
  }
}

/**
 * The run's database gets its administrator before any test runs. Otherwise the first account
 * that any test file makes would become the administrator, and which file that is changes from
 * run to run. An account that a test means to be an ordinary person would then sometimes be an
 * administrator. Tests of "the first account administers" use a scratch database of their own.
 */
async function addRunAdministrator(): Promise<void> {
  await createUser({ email: `run-admin-${runId}@example.test`, admin: true, createdBy: "operator" });
  await disconnectDb();
}

export default async function setup(): Promise<() => Promise<void>> {
  const databaseUrl = await provideDatabase();
  const redisUrl = await provideRedis();
  const prefix = `test-${runId}`;
  Object.assign(process.env, {
    NODE_ENV: "test",
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    AUTH_SECRET: randomBytes(32).toString("base64url"),
    ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
    NEXT_TELEMETRY_DISABLED: "1",
  });
  await applyMigrations(databaseUrl);
  await addRunAdministrator();
  await chooseBrowser();
  await trustTestCertificate();
  // For a quick run of tests that need no web server (an app's actions, say): skips `next build`.
  if (process.env.TEST_SKIP_BUILD !== "1") await buildIfNeeded(process.env);

  return async () => {
    const redis = new Redis(redisUrl);
    const keys = await redis.keys(`*${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await dropDatabase?.();
    for (const child of started) await stopChild(child, 5_000);
    if (scratchDir) await rm(scratchDir, { recursive: true, force: true });
  };
}
