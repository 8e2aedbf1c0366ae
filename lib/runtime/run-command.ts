// The ending every command-line script shares: run, print a failure as one "Error:" line (no
// stack trace), close the connections the script may have opened, and exit with a code.
import { disconnectDb } from "@/lib/db/client";
import { closeQueues } from "@/lib/queue/queues";
import { disconnectRedis } from "@/lib/redis/client";

export function runCommand(main: () => Promise<void>, exitCodeOf: (error: Error) => number = () => 1): void {
  main()
    .then(() => 0)
    .catch((error: Error) => {
      console.error(`Error: ${error.message}`);
      return exitCodeOf(error);
    })
    .then(async (code) => {
      await Promise.allSettled([disconnectDb(), closeQueues(), disconnectRedis()]);
      process.exit(code);
    });
}
