// The queue half of the admin overview: the tool-calls queue's job counts, the live workers
// (from their heartbeats) and the failed jobs with their actions.
import { Badge } from "@/components/kit/badge";
import { Card } from "@/components/kit/card";
import { Notice } from "@/components/kit/notice";
import type { QueueHealth } from "@/lib/admin/queue-health";
import { FailedJobs } from "./failed-jobs";
import { formatCount, formatUtc } from "./format";

const countLabels = [
  ["waiting", "Waiting"],
  ["active", "Running"],
  ["delayed", "Delayed"],
  ["failed", "Failed"],
  ["completed", "Completed (kept)"],
] as const;

function secondsAgo(iso: string, now: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - Date.parse(iso)) / 1_000));
  return seconds < 2 ? "just now" : `${seconds} s ago`;
}

export function QueueSection({ health, now }: { health: QueueHealth; now: Date }) {
  return (
    <section aria-labelledby="queue-heading" className="space-y-4">
      <div>
        <h2 id="queue-heading" className="text-lg font-semibold">
          Queue
        </h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          The <code className="font-mono">{health.queue}</code> queue, which runs every tool call on a worker.
        </p>
      </div>
      {!health.available ? (
        <Notice tone="warning">{health.message}</Notice>
      ) : (
        <>
          <dl className="grid grid-cols-2 gap-3 sm:grid-cols-5" data-testid="queue-counts">
            {countLabels.map(([state, label]) => (
              <Card key={state}>
                <dt className="text-sm text-zinc-600 dark:text-zinc-400">{label}</dt>
                <dd className="mt-1 text-xl font-semibold tabular-nums" data-testid={`queue-${state}`}>
                  {formatCount(health.counts[state])}
                </dd>
              </Card>
            ))}
          </dl>
          <div className="space-y-2" data-testid="workers">
            <h3 className="font-semibold">Workers</h3>
            {health.workers.length === 0 ? (
              <Notice tone="warning">
                No worker is alive: tool calls wait in the queue until one starts (<code>npm start</code> runs
                one, <code>npm run worker</code> starts more).
              </Notice>
            ) : (
              <>
                <p className="text-sm">
                  <Badge tone="success">
                    {formatCount(health.workers.length)} {health.workers.length === 1 ? "worker" : "workers"}{" "}
                    alive
                  </Badge>
                </p>
                <ul className="space-y-1 text-sm">
                  {health.workers.map((worker) => (
                    <li key={worker.id} className="flex flex-wrap gap-x-2">
                      <span className="break-all font-mono text-xs">{worker.id}</span>
                      <span className="text-zinc-600 dark:text-zinc-400">
                        last heartbeat{" "}
                        <time dateTime={worker.lastBeat} title={formatUtc(worker.lastBeat)}>
                          {secondsAgo(worker.lastBeat, now)}
                        </time>
                      </span>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </div>
          <FailedJobs jobs={health.failed} failedTotal={health.counts.failed} />
        </>
      )}
    </section>
  );
}
