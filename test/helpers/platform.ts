// Runs the platform with `npm start`, as a user does, for tests that need the web server and the
// worker: on the run's database and Redis unless told otherwise, on a free port.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { getEnv, setEnv } from "@/env";
import { findFreePort } from "@/lib/runtime/free-port";
import { listProcesses } from "@/lib/runtime/process-info";

const projectRoot = path.resolve(import.meta.dirname, "../..");

/** What a zero-config `npm start` has: no database, Redis or secrets given, so it embeds and makes them. */
export const embeddedEnv = {
  DATABASE_URL: undefined,
  REDIS_URL: undefined,
  AUTH_SECRET: undefined,
  ENCRYPTION_KEY: undefined,
};

export type RunningPlatform = {
  url: string;
  port: number;
  dataDir: string;
  /** The `npm start` process. */
  process: ChildProcess;
  /** The supervisor: the node process running scripts/start.ts, which npm started. */
  supervisorPid: number;
  output: () => string;
  /** Resolves with the exit code once the platform has exited (128 + n for signal n). */
  exited: Promise<number | null>;
  /** SIGTERM, then the exit code. */
  stop: () => Promise<number | null>;
};

// Every platform this test file started, ready or not, so that afterAll can stop one whose
// start-up outlived its test's timeout.
const started = new Set<{ child: ChildProcess; exited: Promise<number | null> }>();

/**
 * This file's Redis prefix, set for this process too on the first start. Test files run side by
 * side on one Redis: with one queue each, a platform's worker never takes another file's calls
 * (which it would run with the wrong settings, such as another emulator's API URL). It extends
 * the run's prefix, so the run's clean-up removes its keys.
 */
let prefixOfThisFile: string | undefined;

function filePrefix(): string {
  if (!prefixOfThisFile) {
    prefixOfThisFile = `${getEnv().REDIS_PREFIX}-f${randomBytes(3).toString("hex")}`;
    setEnv({ REDIS_PREFIX: prefixOfThisFile });
  }
  return prefixOfThisFile;
}

/**
 * A new, empty DATA_DIR. mkdtemp makes it private to this user, and as root the embedded
 * PostgreSQL runs as the `postgres` user, which must pass through it (as through any DATA_DIR).
 */
export async function createDataDir(label: string): Promise<string> {
  const directory = await mkdtemp(path.join(os.tmpdir(), `toolgate-${label}-`));
  await chmod(directory, 0o711);
  return directory;
}

type PlatformOptions = { env?: Record<string, string | undefined>; dataDir?: string; timeoutMs?: number };

/** The port was free when chosen, and taken (by another test file) before the web server bound it. */
class PortTakenError extends Error {}

export async function startPlatform(options: PlatformOptions = {}): Promise<RunningPlatform> {
  // A free port can only be chosen before the child binds it: on a busy run another file's
  // server or emulator can take it in between. Such a start-up is tried again on another port.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startPlatformOn(await findFreePort(), options);
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt === 3 || options.env?.PORT) throw error;
    }
  }
}

async function startPlatformOn(port: number, options: PlatformOptions): Promise<RunningPlatform> {
  const ownDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await createDataDir("data"));
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    APP_URL: url,
    DATA_DIR: dataDir,
    SHUTDOWN_GRACE_MS: "5000",
    REDIS_PREFIX: filePrefix(),
    ...options.env,
  };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
  const child = spawn("npm", ["start"], { cwd: projectRoot, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) =>
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 128 + os.constants.signals[signal] : null))),
  ).then(async (code) => {
    if (ownDataDir) await rm(dataDir, { recursive: true, force: true });
    return code;
  });
  const entry = { child, exited };
  started.add(entry);
  void exited.then(() => started.delete(entry));
  const deadline = Date.now() + (options.timeoutMs ?? 180_000);
  while (!output.includes("[start] ready:")) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const message = `platform exited during start-up:\n${output}`;
      if (!output.includes(`EADDRINUSE: address already in use 127.0.0.1:${port}`)) throw new Error(message);
      await exited;
      throw new PortTakenError(message);
    }
    if (Date.now() > deadline) {
      child.kill("SIGTERM");
      throw new Error(`platform not ready in time:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const supervisor = (await listProcesses()).find(
    (entry) => entry.ppid === child.pid && entry.command.includes("scripts/start.ts"),
  );
  if (!supervisor) throw new Error(`no supervisor under npm start (pid ${child.pid})`);
  return {
    url,
    port,
    dataDir,
    process: child,
    supervisorPid: supervisor.pid,
    output: () => output,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}

/** Stops every platform this file started that is still running (for afterAll). */
export async function stopStartedPlatforms(): Promise<void> {
  await Promise.all(
    [...started].map(({ child, exited }) => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    }),
  );
}
