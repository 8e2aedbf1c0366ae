// Runs one program that cannot watch its supervisor (postgres, redis-server, next build) on its
// behalf: started by lib/runtime/children.ts with an IPC channel, it stops the program when that
// channel closes (the supervisor is gone, however it went) or when it is told to stop, and exits
// with the program's exit code. On Linux the program is also started under
// `setpriv --pdeathsig`, so that the kernel stops it even if this host is killed outright.
// Plain JavaScript, so that it runs without tsx's loader: half the memory of a TypeScript process.
//
//   node scripts/service-host.mjs --stop-signal SIGINT --grace-ms 8000 --orphan-grace-ms 5000
//     [--uid N --gid N] -- <program> [args...]
import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

/** @param {string} name */
function findOnPath(name) {
  for (const directory of (process.env.PATH ?? "").split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(directory, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

const usage =
  "usage: service-host --stop-signal SIG --grace-ms N --orphan-grace-ms N [--uid N --gid N] -- <program> [args...]";

function main() {
  const { values, positionals } = parseArgs({
    options: {
      "stop-signal": { type: "string" },
      "grace-ms": { type: "string" },
      "orphan-grace-ms": { type: "string" },
      uid: { type: "string" },
      gid: { type: "string" },
    },
    allowPositionals: true,
  });
  const stopSignal = values["stop-signal"] ?? "";
  const graceMs = Number(values["grace-ms"]);
  const orphanGraceMs = Number(values["orphan-grace-ms"]);
  const [program, ...args] = positionals;
  if (!program || !(stopSignal in os.constants.signals) || !(graceMs > 0) || !(orphanGraceMs > 0))
    throw new Error(usage);
  // 127, as a shell says "command not found": the supervisor turns it into an install hint.
  if (!path.isAbsolute(program) && !findOnPath(program)) process.exit(127);

  const setpriv = process.platform === "linux" ? findOnPath("setpriv") : undefined;
  const child = spawn(setpriv ?? program, setpriv ? ["--pdeathsig", stopSignal, program, ...args] : args, {
    stdio: ["ignore", "inherit", "inherit"],
    // A group of its own: a last SIGKILL reaches whatever the program started (backends, workers).
    detached: true,
    uid: values.uid === undefined ? undefined : Number(values.uid),
    gid: values.gid === undefined ? undefined : Number(values.gid),
  });
  const killGroup = () => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  };

  let stopping = false;
  /** @param {number} deadlineMs */
  const stop = (deadlineMs) => {
    if (stopping) return;
    stopping = true;
    child.kill(/** @type {NodeJS.Signals} */ (stopSignal));
    setTimeout(killGroup, deadlineMs).unref();
  };
  for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"]) process.on(signal, () => stop(graceMs));
  // The channel to the supervisor closes when it exits or is killed (perhaps already, while this
  // process was starting).
  if (typeof process.send === "function") {
    if (!process.connected) stop(orphanGraceMs);
    else process.once("disconnect", () => stop(orphanGraceMs));
  }
  // Output that can no longer be written (a closed terminal) must not end the host before its program.
  process.stdout.on("error", () => {});
  process.stderr.on("error", () => {});

  child.on("error", (/** @type {NodeJS.ErrnoException} */ error) => {
    process.exit(error.code === "ENOENT" ? 127 : 126);
  });
  child.on("exit", (code, signal) => {
    killGroup(); // anything the program left behind
    process.exit(code ?? (signal ? 128 + os.constants.signals[signal] : 1));
  });
}

try {
  main();
} catch (error) {
  process.stderr.write(`service-host: ${/** @type {Error} */ (error).message}\n`);
  process.exit(2);
}
