// How the platform's long-lived node processes (the web process and the worker) are started so
// that they idle at less memory, each setting measured with `npm run bench` (idle RSS, and
// throughput under load, with and without it):
// - a young generation capped at 4 MB per semi-space (V8 grows it to 16 MB by default): 25-45 MB
//   less per process at rest;
// - two malloc arenas (glibc makes up to eight per core for the threads of libuv and V8): about
//   15 MB less per process.
// Each is left out where the operator has set it (NODE_OPTIONS, MALLOC_ARENA_MAX).
export function leanNodeFlags(env: NodeJS.ProcessEnv): string[] {
  return env.NODE_OPTIONS?.includes("--max-semi-space-size") ? [] : ["--max-semi-space-size=4"];
}

export function leanNodeEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { MALLOC_ARENA_MAX: "2", ...env };
}
