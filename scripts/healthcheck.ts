// `npm run healthcheck -- web [--url URL]` and `npm run healthcheck -- worker`: one process's
// health for a container health check or a process manager, exit code 0 when healthy and 1 when
// not, with one line saying why. web asks PORT on 127.0.0.1 unless --url names another address.
import { parseArgs } from "node:util";
import { getEnv } from "@/env";
import { probeWeb, probeWorker } from "@/lib/health/probes";
import { disconnectRedis, getRedis } from "@/lib/redis/client";

const usage = "usage: npm run healthcheck -- web [--url URL] | worker";

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { url: { type: "string" } },
  });
  const [part] = positionals;
  const env = getEnv();
  if (part === "web") {
    const result = await probeWeb(values.url ?? `http://127.0.0.1:${env.PORT}`);
    console.log(`web: ${result.ok ? "healthy" : "unhealthy"} (${result.detail})`);
    return result.ok ? 0 : 1;
  }
  if (part === "worker") {
    try {
      const result = await probeWorker(await getRedis(2_000), env.HEARTBEAT_INTERVAL_MS);
      console.log(`worker: ${result.ok ? "healthy" : "unhealthy"} (${result.detail})`);
      return result.ok ? 0 : 1;
    } catch (error) {
      console.log(`worker: unhealthy (Redis: ${(error as Error).message})`);
      return 1;
    } finally {
      await disconnectRedis();
    }
  }
  console.error(usage);
  return 2;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`healthcheck: ${error.message}`);
    process.exit(1);
  },
);
