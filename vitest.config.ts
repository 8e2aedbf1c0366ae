import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", ".next/**", "data/**"],
    globalSetup: ["test/setup/global-setup.ts"],
    testTimeout: 30_000,
    // expect.poll waits for pages and workers; on a shared two-core machine a sign-up (a
    // memory-hard hash, a redirect, a render) can take seconds, far beyond the default 1 s.
    expect: { poll: { timeout: 15_000 } },
    hookTimeout: 240_000,
    pool: "forks",
    // Two cores: e2e files each run a whole platform, so files run two at a time.
    maxWorkers: 2,
    reporters: ["default"],
  },
});
