// While `npm start` runs on embedded defaults it records where its database and Redis listen,
// so that `npm run cli` and `npm run seed:demo` reach the same ones. The file also serves as
// the lock that keeps a second instance from opening the same data directory.
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { getEnv, hasRedisSetting, setEnv } from "@/env";
import { AppError } from "@/lib/errors/app-error";
import { describeProcess, type ProcessInfo } from "./process-info";
import { readStoredSecrets } from "./secrets";

const runtimeSchema = z.object({
  pid: z.number().int(),
  DATABASE_URL: z.string().optional(),
  REDIS_URL: z.string().optional(),
});
export type RuntimeInfo = z.infer<typeof runtimeSchema>;

const fileIn = (dataDir: string) => path.join(dataDir, "runtime.json");

/** The supervisor's command line names its script (package.json's `start` and `dev`). */
const supervisorScript = "scripts/start.ts";

/** The process that runs the instance recorded in DATA_DIR, if it still runs. */
export async function findRunningSupervisor(dataDir: string): Promise<ProcessInfo | undefined> {
  const info = await readRuntimeInfo(dataDir);
  return info && (await describeProcess(info.pid));
}

/**
 * The running instance's info, or undefined if none runs: a file left by an instance that died
 * is ignored, also when its pid has since been reused by another program.
 */
export async function readRuntimeInfo(dataDir: string): Promise<RuntimeInfo | undefined> {
  const text = await readFile(fileIn(dataDir), "utf8").catch(() => undefined);
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined; // left empty or truncated by a crash while it was being written
  }
  const parsed = runtimeSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const supervisor = await describeProcess(parsed.data.pid);
  return supervisor?.command.includes(supervisorScript) ? parsed.data : undefined;
}

/**
 * Creates the file for this instance, failing if another start created it first. Call it once the
 * data directory is known to be free, so that an existing file is a stale one and is replaced.
 */
export async function claimRuntimeInfo(dataDir: string, info: RuntimeInfo): Promise<void> {
  const create = () => writeFile(fileIn(dataDir), `${JSON.stringify(info)}\n`, { mode: 0o600, flag: "wx" });
  try {
    await create();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    if (await readRuntimeInfo(dataDir)) throw new Error(`Another start is using ${dataDir} right now.`);
    await rm(fileIn(dataDir), { force: true });
    await create().catch(() => {
      throw new Error(`Another start is using ${dataDir} right now.`);
    });
  }
}

export async function writeRuntimeInfo(dataDir: string, info: RuntimeInfo): Promise<void> {
  await writeFile(fileIn(dataDir), `${JSON.stringify(info)}\n`, { mode: 0o600 });
}

export async function removeRuntimeInfo(dataDir: string): Promise<void> {
  await rm(fileIn(dataDir), { force: true });
}

/**
 * For commands run beside `npm start` (the CLI, seed:demo): whatever of DATABASE_URL, REDIS_URL,
 * AUTH_SECRET and ENCRYPTION_KEY is unset comes from the instance's DATA_DIR, as `npm start`
 * itself would have chosen it.
 */
export async function adoptLocalInstanceSettings(): Promise<void> {
  const env = getEnv();
  const dataDir = path.resolve(env.DATA_DIR);
  const secrets = await readStoredSecrets(dataDir);
  setEnv({
    ...(!env.AUTH_SECRET && secrets && { AUTH_SECRET: secrets.AUTH_SECRET }),
    ...(!env.ENCRYPTION_KEY && secrets && { ENCRYPTION_KEY: secrets.ENCRYPTION_KEY }),
  });
  if (env.DATABASE_URL && hasRedisSetting()) return;
  const running = await readRuntimeInfo(dataDir);
  if (!running?.DATABASE_URL || !running.REDIS_URL) {
    throw new AppError(
      "service_unavailable",
      "DATABASE_URL is not set and no `npm start` is running on embedded defaults here. Start the platform first (npm start), or set DATABASE_URL and REDIS_URL.",
    );
  }
  setEnv({
    DATABASE_URL: env.DATABASE_URL ?? running.DATABASE_URL,
    ...(!hasRedisSetting() && { REDIS_URL: running.REDIS_URL }),
  });
}
