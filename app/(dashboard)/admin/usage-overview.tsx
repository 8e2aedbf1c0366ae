// The usage half of the admin overview: headline numbers for the last 24 hours, then the charts,
// each with a caption that says in words what it shows and, for every chart, the numbers as
// tables (folded away) for screen readers and anyone who wants exact values.
import type { ReactNode } from "react";
import { Card, EmptyState } from "@/components/kit/card";
import type { AdminOverview, HourPoint } from "@/lib/admin/overview";
import { ActiveUsersChart, CallsPerHourChart, ErrorRateChart, P95Chart } from "./charts";
import {
  type BucketLabels,
  describeP95,
  formatCount,
  formatDayLong,
  formatHour,
  formatPercent,
} from "./format";

function Stat({
  label,
  value,
  detail,
  testId,
}: {
  label: string;
  value: string;
  detail: ReactNode;
  testId: string;
}) {
  return (
    <li data-testid={testId}>
      <Card className="h-full">
        <h3 className="text-sm font-medium text-zinc-600 dark:text-zinc-400">{label}</h3>
        <p className="mt-1 text-2xl font-semibold tabular-nums" data-testid={`${testId}-value`}>
          {value}
        </p>
        <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">{detail}</p>
      </Card>
    </li>
  );
}

export function HeadlineStats({ overview, labels }: { overview: AdminOverview; labels: BucketLabels }) {
  const day = overview.last24h;
  const ran = day.success + day.error;
  return (
    <section aria-labelledby="headline-heading" className="space-y-3">
      <h2 id="headline-heading" className="text-lg font-semibold">
        Last 24 hours
      </h2>
      <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Stat
          testId="stat-calls"
          label="Calls"
          value={formatCount(day.calls)}
          detail={`${formatCount(day.success)} succeeded, ${formatCount(day.error)} failed, ${formatCount(day.refused)} refused by quota`}
        />
        <Stat
          testId="stat-error-rate"
          label="Error rate"
          value={formatPercent(day.errorRate)}
          detail={
            ran === 0
              ? "No calls ran."
              : `${formatCount(day.error)} of ${formatCount(ran)} calls that ran failed (refusals did not run)`
          }
        />
        <Stat
          testId="stat-p95"
          label="p95 duration"
          value={day.p95Bucket === null ? "–" : describeP95(day.p95Bucket, labels)}
          detail={
            day.p95Bucket === null
              ? "No calls ran."
              : `95% of the calls that ran finished ${describeP95(day.p95Bucket, labels)}`
          }
        />
        <Stat
          testId="stat-active-users"
          label="Active users"
          value={formatCount(day.activeUsers)}
          detail={`${formatCount(overview.last7d.activeUsers)} in the last 7 days`}
        />
      </ul>
    </section>
  );
}

function Figure({
  id,
  title,
  summary,
  children,
}: {
  id: string;
  title: string;
  summary: string;
  children: ReactNode;
}) {
  return (
    <figure aria-labelledby={`${id}-title`} className="min-w-0" data-testid={`chart-${id}`}>
      <Card className="space-y-2">
        <h3 id={`${id}-title`} className="font-semibold">
          {title}
        </h3>
        <figcaption className="text-sm text-zinc-600 dark:text-zinc-400" data-testid={`chart-${id}-summary`}>
          {summary}
        </figcaption>
        <div className="text-zinc-600 dark:text-zinc-400">{children}</div>
      </Card>
    </figure>
  );
}

function maxBy<T>(items: readonly T[], value: (item: T) => number | null): T | undefined {
  let best: T | undefined;
  let bestValue = Number.NEGATIVE_INFINITY;
  for (const item of items) {
    const current = value(item);
    if (current !== null && current > bestValue) {
      best = item;
      bestValue = current;
    }
  }
  return best;
}

const callsOf = (point: HourPoint) => point.success + point.error + point.refused;

function summarizeCalls(overview: AdminOverview): string {
  const week = overview.last7d;
  if (week.calls === 0) return "No calls in the last 7 days.";
  const busiest = maxBy(overview.hours, callsOf);
  return `${formatCount(week.calls)} calls in the last 7 days: ${formatCount(week.success)} succeeded, ${formatCount(week.error)} failed and ${formatCount(week.refused)} were refused by quota. Busiest hour: ${busiest ? `${formatHour(busiest.hour)} UTC, with ${formatCount(callsOf(busiest))} calls` : "none"}.`;
}

function summarizeErrors(overview: AdminOverview): string {
  if (overview.last7d.errorRate === null) return "No calls ran in the last 7 days.";
  const worst = maxBy(overview.hours, (point) => point.errorRate);
  return `Over the 7 days, ${formatPercent(overview.last7d.errorRate)} of the calls that ran failed. Highest hour: ${worst ? `${formatPercent(worst.errorRate)} at ${formatHour(worst.hour)} UTC` : "none"}. Hours in which no call ran have no point.`;
}

function summarizeP95(overview: AdminOverview, labels: BucketLabels): string {
  if (overview.last7d.p95Bucket === null) return "No calls ran in the last 7 days.";
  const slowest = maxBy(overview.hours, (point) => point.p95Bucket);
  return `Over the 7 days, 95% of the calls that ran finished ${describeP95(overview.last7d.p95Bucket, labels)}. Slowest hour: ${slowest ? `p95 ${describeP95(slowest.p95Bucket, labels)} at ${formatHour(slowest.hour)} UTC` : "none"}. Durations are counted in buckets, so the p95 is given as the bucket's bound.`;
}

function summarizeUsers(overview: AdminOverview): string {
  const busiest = maxBy(overview.days, (day) => day.activeUsers);
  if (!busiest || busiest.activeUsers === 0) return "No one made a call in the last 7 days.";
  return `${formatCount(overview.last7d.activeUsers)} people made calls in the last 7 days. Busiest day: ${formatDayLong(busiest.day)}, with ${formatCount(busiest.activeUsers)}. Today so far: ${formatCount(overview.days.at(-1)?.activeUsers ?? 0)}.`;
}

const th = "px-3 py-2 text-left font-medium";
const td = "px-3 py-1.5 tabular-nums";

function HourlyTable({ overview, labels }: { overview: AdminOverview; labels: BucketLabels }) {
  const busy = overview.hours.filter((point) => callsOf(point) > 0).reverse();
  return (
    <details className="rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
      <summary className="cursor-pointer text-sm font-semibold">The hourly numbers as a table</summary>
      <div className="mt-3 max-h-96 overflow-auto">
        <table className="w-full text-sm" data-testid="hourly-table">
          <caption className="pb-2 text-left text-xs text-zinc-600 dark:text-zinc-400">
            Calls per hour (UTC), newest first. Hours without calls are left out.
          </caption>
          <thead className="sticky top-0 bg-white dark:bg-zinc-900">
            <tr className="border-b border-zinc-200 dark:border-zinc-800">
              <th scope="col" className={th}>
                Hour (UTC)
              </th>
              <th scope="col" className={th}>
                Succeeded
              </th>
              <th scope="col" className={th}>
                Failed
              </th>
              <th scope="col" className={th}>
                Refused
              </th>
              <th scope="col" className={th}>
                Error rate
              </th>
              <th scope="col" className={th}>
                p95
              </th>
            </tr>
          </thead>
          <tbody>
            {busy.map((point) => (
              <tr key={point.hour} className="border-b border-zinc-100 last:border-0 dark:border-zinc-800/60">
                <th scope="row" className={`${td} text-left font-normal`}>
                  {formatHour(point.hour)}
                </th>
                <td className={td}>{formatCount(point.success)}</td>
                <td className={td}>{formatCount(point.error)}</td>
                <td className={td}>{formatCount(point.refused)}</td>
                <td className={td}>{formatPercent(point.errorRate)}</td>
                <td className={td}>
                  {point.p95Bucket === null ? "–" : describeP95(point.p95Bucket, labels)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

function DailyTable({ overview }: { overview: AdminOverview }) {
  return (
    <details className="rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
      <summary className="cursor-pointer text-sm font-semibold">Active users per day as a table</summary>
      <table className="mt-3 w-full text-sm" data-testid="daily-table">
        <caption className="pb-2 text-left text-xs text-zinc-600 dark:text-zinc-400">
          People with at least one call (refused ones included), per UTC day; today so far.
        </caption>
        <thead>
          <tr className="border-b border-zinc-200 dark:border-zinc-800">
            <th scope="col" className={th}>
              Day
            </th>
            <th scope="col" className={th}>
              Active users
            </th>
          </tr>
        </thead>
        <tbody>
          {overview.days.map((day) => (
            <tr key={day.day} className="border-b border-zinc-100 last:border-0 dark:border-zinc-800/60">
              <th scope="row" className={`${td} text-left font-normal`}>
                {formatDayLong(day.day)}
              </th>
              <td className={td}>{formatCount(day.activeUsers)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

export function UsageCharts({ overview, labels }: { overview: AdminOverview; labels: BucketLabels }) {
  return (
    <section aria-labelledby="usage-heading" className="space-y-4">
      <div>
        <h2 id="usage-heading" className="text-lg font-semibold">
          Last 7 days
        </h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          By hour, in UTC. The current hour is still filling up.
        </p>
      </div>
      {overview.last7d.calls === 0 ? (
        <EmptyState title="No calls in the last 7 days">
          Once people's AI apps use their tools, calls per hour, errors and durations show up here.
        </EmptyState>
      ) : (
        <>
          <Figure id="calls" title="Calls per hour" summary={summarizeCalls(overview)}>
            <CallsPerHourChart hours={overview.hours} />
          </Figure>
          <div className="grid gap-4 lg:grid-cols-2">
            <Figure id="error-rate" title="Error rate per hour" summary={summarizeErrors(overview)}>
              <ErrorRateChart hours={overview.hours} />
            </Figure>
            <Figure id="p95" title="p95 duration per hour" summary={summarizeP95(overview, labels)}>
              <P95Chart hours={overview.hours} labels={labels} />
            </Figure>
          </div>
          <HourlyTable overview={overview} labels={labels} />
          <Figure id="active-users" title="Active users per day" summary={summarizeUsers(overview)}>
            <ActiveUsersChart days={overview.days} />
          </Figure>
          <DailyTable overview={overview} />
        </>
      )}
    </section>
  );
}
