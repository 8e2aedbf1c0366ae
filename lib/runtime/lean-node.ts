// How the platform's long-lived node processes (the web process and the worker) are started so
// that they idle at less memory without serving fewer requests, each measured with `npm run bench`
// (idle RSS, and throughput under load, before and after):
// - a young generation capped at 4 MB per semi-space (V8's default grows it to 16 MB): 25-45 MB
//   less per process at rest;
// - two malloc arenas (glibc makes up to eight per core for the threads of libuv and V8): about
//   15 MB less per process. Set only where the operator has not set it.
export const leanNodeFlags = ["--max-semi-space-size=4"];

export function leanNodeEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { MALLOC_ARENA_MAX: "2", ...env };
}
