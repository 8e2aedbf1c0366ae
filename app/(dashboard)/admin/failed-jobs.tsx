"use client";
// The failed jobs of the tool-calls queue with Retry and Discard per job and for all of them.
// Discarding asks first. The outcome is announced in one status line above the table, which
// stays while the page refreshes without the job.
import { useState, useTransition } from "react";
import { Button } from "@/components/kit/button";
import { EmptyState } from "@/components/kit/card";
import { ConfirmButton } from "@/components/kit/confirm-button";
import { Notice } from "@/components/kit/notice";
import type { FailedJob } from "@/lib/admin/queue-health";
import {
  discardAllFailedJobsAction,
  discardFailedJobAction,
  retryAllFailedJobsAction,
  retryFailedJobAction,
} from "./actions";
import { formatCount, formatUtc } from "./format";

type Outcome = { ok: true; message: string } | { ok: false; message: string };

const plural = (count: number, one: string, many: string) =>
  `${formatCount(count)} ${count === 1 ? one : many}`;

export function FailedJobs({ jobs, failedTotal }: { jobs: FailedJob[]; failedTotal: number }) {
  const [outcome, setOutcome] = useState<Outcome>();
  const [pending, startTransition] = useTransition();
  const [busyJob, setBusyJob] = useState<string>();

  const retry = (job: FailedJob) =>
    startTransition(async () => {
      setBusyJob(job.id);
      const result = await retryFailedJobAction(job.id);
      setBusyJob(undefined);
      setOutcome(result.ok ? { ok: true, message: `Job ${job.id} is queued again.` } : result);
    });

  const discard = async (job: FailedJob) => {
    const result = await discardFailedJobAction(job.id);
    setOutcome(result.ok ? { ok: true, message: `Job ${job.id} was discarded.` } : result);
  };

  const retryAll = () =>
    startTransition(async () => {
      const result = await retryAllFailedJobsAction();
      setOutcome(
        result.ok
          ? {
              ok: true,
              message: `${plural(result.data.count, "failed job is", "failed jobs are")} queued again.`,
            }
          : result,
      );
    });

  const discardAll = async () => {
    const result = await discardAllFailedJobsAction();
    setOutcome(
      result.ok
        ? {
            ok: true,
            message: `${plural(result.data.count, "failed job was", "failed jobs were")} discarded.`,
          }
        : result,
    );
  };

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 id="failed-jobs-heading" className="font-semibold">
          Failed jobs
        </h3>
        {failedTotal > 0 && (
          <div className="flex flex-wrap gap-2">
            <Button size="sm" onClick={retryAll} pending={pending && !busyJob}>
              Retry all
            </Button>
            <ConfirmButton
              label="Discard all"
              title={`Discard ${plural(failedTotal, "failed job", "failed jobs")}?`}
              description="They are removed from the queue and cannot be retried. The calls stay in the history as they were recorded."
              confirmLabel="Discard all"
              onConfirm={discardAll}
            />
          </div>
        )}
      </div>
      <div aria-live="polite">
        {outcome &&
          (outcome.ok ? (
            <Notice tone="success">{outcome.message}</Notice>
          ) : (
            <Notice tone="danger">{outcome.message}</Notice>
          ))}
      </div>
      {jobs.length === 0 ? (
        <EmptyState title="No failed jobs">Jobs that fail after their last attempt show up here.</EmptyState>
      ) : (
        // Relative: the buttons' visually hidden words (absolutely placed) stay in the scroll box.
        <div className="relative overflow-x-auto rounded-xl border border-zinc-200 dark:border-zinc-800">
          <table className="w-full min-w-[48rem] text-sm" aria-labelledby="failed-jobs-heading">
            <caption className="px-3 pt-2 text-left text-xs text-zinc-600 dark:text-zinc-400">
              {failedTotal > jobs.length
                ? `The newest ${formatCount(jobs.length)} of ${formatCount(failedTotal)} failed jobs.`
                : `${plural(failedTotal, "failed job", "failed jobs")}, newest first.`}{" "}
              Retrying runs a call again only if it never finished; one already recorded is not run twice.
            </caption>
            <thead>
              <tr className="border-b border-zinc-200 dark:border-zinc-800">
                <th scope="col" className="px-3 py-2 text-left font-medium">
                  Call
                </th>
                <th scope="col" className="px-3 py-2 text-left font-medium">
                  Why it failed
                </th>
                <th scope="col" className="px-3 py-2 text-left font-medium">
                  Attempts
                </th>
                <th scope="col" className="px-3 py-2 text-left font-medium">
                  Failed at
                </th>
                <th scope="col" className="px-3 py-2 text-left font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {jobs.map((job) => (
                <tr
                  key={job.id}
                  className="border-b border-zinc-100 align-top last:border-0 dark:border-zinc-800/60"
                  data-testid="failed-job"
                  data-job-id={job.id}
                >
                  <th scope="row" className="px-3 py-2 text-left font-normal">
                    {job.callId ? (
                      <span className="block whitespace-nowrap font-mono text-xs">{job.callId}</span>
                    ) : (
                      <span className="block text-xs text-zinc-600 dark:text-zinc-400">
                        Not a tool call's job
                      </span>
                    )}
                    {job.callId !== job.id && (
                      <span className="block whitespace-nowrap text-xs text-zinc-600 dark:text-zinc-400">
                        Job <span className="font-mono">{job.id}</span>
                      </span>
                    )}
                  </th>
                  <td
                    className="min-w-[14rem] max-w-md break-words px-3 py-2"
                    data-testid="failed-job-reason"
                  >
                    {job.reason}
                  </td>
                  <td className="px-3 py-2 tabular-nums">{formatCount(job.attemptsMade)}</td>
                  <td className="px-3 py-2 whitespace-nowrap">
                    {job.failedAt ? <time dateTime={job.failedAt}>{formatUtc(job.failedAt)}</time> : "–"}
                  </td>
                  <td className="px-3 py-2">
                    <div className="flex justify-end gap-2">
                      <Button size="sm" onClick={() => retry(job)} pending={busyJob === job.id}>
                        Retry<span className="sr-only"> job {job.id}</span>
                      </Button>
                      <ConfirmButton
                        label={
                          <>
                            Discard<span className="sr-only"> job {job.id}</span>
                          </>
                        }
                        title="Discard this failed job?"
                        description={`Job ${job.id} is removed from the queue and cannot be retried. Its call stays in the history as it was recorded.`}
                        confirmLabel="Discard job"
                        onConfirm={() => discard(job)}
                      />
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
