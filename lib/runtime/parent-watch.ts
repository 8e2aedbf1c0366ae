// How the processes of `npm start` notice that the process above them is gone, however it ended
// (Ctrl-C, SIGKILL, the OOM killer, a crash): through a channel that the kernel closes when its
// owner dies, never by polling a pid that may be reused.

/**
 * How long a process whose supervisor is gone may take to finish: every process of the platform
 * must be gone within 10 s of its supervisor, whatever was running.
 */
export const orphanGraceMs = 5_000;

/**
 * In a child of the supervisor (spawned with an IPC channel, lib/runtime/children.ts): calls
 * `onGone` once when that channel closes, which happens when the supervisor exits or is killed.
 * A process started without one (`npm run web`, `npm run worker`) has no supervisor to watch.
 */
export function whenSupervisorGone(onGone: () => void): void {
  if (typeof process.send !== "function") return; // never had a channel
  // The supervisor may have died while this process was still loading its modules.
  if (!process.connected) onGone();
  else process.once("disconnect", onGone);
}

/**
 * For the supervisor itself, whose parent (npm, or a shell) gives it no channel: that parent has
 * died once this process has been handed to another (init or a subreaper), which changes
 * `process.ppid`. A reparenting is not a reused pid: the old parent's pid is never read again.
 */
export function whenParentGone(onGone: () => void, intervalMs = 250): void {
  const parent = process.ppid;
  if (parent <= 1) return; // started by init itself (a container's entry point): nothing to watch
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onGone();
  }, intervalMs);
  timer.unref();
}
