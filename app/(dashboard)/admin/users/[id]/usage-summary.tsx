// The user's usage now, as their own meters show it (getUsage): one card per window with when it resets.
import { describeReset, meterLevel, percentUsed } from "@/components/history/format";
import type { Usage } from "@/lib/quota/usage";
import { formatCount } from "../../format";
import { WindowMeter, windowLabels } from "../window-meter";

const borders = {
  ok: "border-zinc-200 dark:border-zinc-800",
  warning: "border-amber-400 dark:border-amber-700",
  full: "border-red-400 dark:border-red-800",
} as const;

export function UsageSummary({ usage, email }: { usage: Usage; email: string }) {
  return (
    <ul className="grid gap-4 sm:grid-cols-3">
      {(["hour", "day", "month"] as const).map((window) => {
        const { used, limit, resetsAt } = usage[window];
        const level = meterLevel(used, limit);
        return (
          <li
            key={window}
            className={`rounded-xl border bg-white p-4 dark:bg-zinc-900 ${borders[level]}`}
            data-testid={`detail-usage-${window}`}
          >
            <div className="flex items-baseline justify-between gap-2">
              <h3 className="text-sm font-medium text-zinc-600 dark:text-zinc-400">{windowLabels[window]}</h3>
              <span className="text-sm font-semibold tabular-nums">{percentUsed(used, limit)}%</span>
            </div>
            <div className="mt-1 text-lg font-semibold">
              <WindowMeter window={window} used={used} limit={limit} who={email} />
            </div>
            <p className="mt-2 text-xs text-zinc-600 dark:text-zinc-400">
              {level === "full"
                ? "Used up: calls are refused. It "
                : level === "warning"
                  ? "Almost used up. It "
                  : "It "}
              {describeReset(window, new Date(resetsAt))}. Limit {formatCount(limit)}.
            </p>
          </li>
        );
      })}
    </ul>
  );
}
