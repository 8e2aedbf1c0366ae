// The environment of the platform's long-lived node processes (the web process and the worker):
// two malloc arenas, where glibc makes up to eight per core for the threads of libuv and V8, which
// left them holding about 15 MB more each at rest (measured with `npm run bench`). Set only where
// the operator has not set it. A young generation capped at 4 MB was tried too (25-45 MB less at
// rest) and left out: in A/B runs tools/list at 10 connections served 0.46-0.80x of the bare echo
// with it and 1.15-1.30x without, so it may cost throughput.
export function leanNodeEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { MALLOC_ARENA_MAX: "2", ...env };
}
