// The usage meters of the home and history pages: calls used against the hourly, daily and
// monthly limits, with when each window starts again. Amber from 80 %, red when used up (calls
// are then refused). `children` come between the heading and the meters (the home page's warnings).

import type { ReactNode } from "react";
import { describeReset, type MeterLevel, meterLevel, percentUsed } from "@/components/history/format";
import type { Usage, WindowUsage } from "@/lib/quota/usage";
import type { WindowName } from "@/lib/quota/windows";

const windowLabels: Record<WindowName, string> = { hour: "This hour", day: "Today", month: "This month" };

// The filled part of the bar, in Chromium/WebKit and in Firefox.
const barColors: Record<MeterLevel, string> = {
  ok: "[&::-webkit-meter-optimum-value]:bg-brand-600 [&::-moz-meter-bar]:bg-brand-600",
  warning: "[&::-webkit-meter-optimum-value]:bg-amber-500 [&::-moz-meter-bar]:bg-amber-500",
  full: "[&::-webkit-meter-optimum-value]:bg-red-600 [&::-moz-meter-bar]:bg-red-600",
};

const cardBorders: Record<MeterLevel, string> = {
  ok: "border-zinc-200 dark:border-zinc-800",
  warning: "border-amber-400 dark:border-amber-700",
  full: "border-red-400 dark:border-red-800",
};

function UsageMeter({
  window,
  usage,
  idPrefix,
}: {
  window: WindowName;
  usage: WindowUsage;
  idPrefix: string;
}) {
  const { used, limit } = usage;
  const percent = percentUsed(used, limit);
  const level = meterLevel(used, limit);
  const reset = describeReset(window, new Date(usage.resetsAt));
  const labelId = `${idPrefix}-${window}-label`;
  return (
    <li
      className={`rounded-xl border bg-white p-4 dark:bg-zinc-900 ${cardBorders[level]}`}
      data-testid={`${idPrefix}-${window}`}
      data-level={level}
    >
      <div className="flex items-baseline justify-between gap-2">
        <h3 id={labelId} className="text-sm font-medium text-zinc-600 dark:text-zinc-400">
          {windowLabels[window]}
        </h3>
        <span className="text-sm font-semibold tabular-nums" data-testid={`${idPrefix}-${window}-percent`}>
          {percent}%
        </span>
      </div>
      <p className="mt-1 text-lg font-semibold tabular-nums" data-testid={`${idPrefix}-${window}-count`}>
        {used.toLocaleString("en")} / {limit.toLocaleString("en")} calls
      </p>
      <meter
        aria-labelledby={labelId}
        min={0}
        max={Math.max(limit, 1)}
        value={Math.min(used, limit)}
        aria-valuetext={`${used} of ${limit} calls used (${percent}%)`}
        className={`mt-2 block h-2 w-full appearance-none overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800 [&::-webkit-meter-bar]:h-2 [&::-webkit-meter-bar]:rounded-full [&::-webkit-meter-bar]:border-0 [&::-webkit-meter-bar]:bg-none [&::-webkit-meter-bar]:bg-zinc-200 [&::-webkit-meter-optimum-value]:bg-none dark:[&::-webkit-meter-bar]:bg-zinc-800 ${barColors[level]}`}
      >
        {percent}%
      </meter>
      <p className="mt-2 text-xs text-zinc-600 dark:text-zinc-400">
        {level === "full" ? (
          <strong className="font-semibold text-red-700 dark:text-red-400">
            Used up: calls are refused until it {reset}.
          </strong>
        ) : level === "warning" ? (
          <>
            <strong className="font-semibold text-amber-800 dark:text-amber-300">Almost used up.</strong> It{" "}
            {reset}.
          </>
        ) : (
          <>It {reset}.</>
        )}
      </p>
    </li>
  );
}

export function UsageMeters({
  usage,
  title = "Usage",
  idPrefix = "usage",
  children,
}: {
  usage: Usage;
  title?: string;
  /** Ids and test ids start with it: a page with two sets of meters gives the second another. */
  idPrefix?: string;
  children?: ReactNode;
}) {
  return (
    <section aria-labelledby={`${idPrefix}-heading`} className="space-y-3">
      <h2 id={`${idPrefix}-heading`} className="text-lg font-semibold">
        {title}
      </h2>
      {children}
      <ul className="grid gap-4 sm:grid-cols-3">
        {(["hour", "day", "month"] as const).map((window) => (
          <UsageMeter key={window} window={window} usage={usage[window]} idPrefix={idPrefix} />
        ))}
      </ul>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        When a limit is used up, your AI app's tool calls are refused until that limit resets. Only successful
        calls count; failed and refused calls don't.
      </p>
    </section>
  );
}
