// One quota window in a table cell: "used / limit" over a thin bar, amber from 80 %, red when used up.
import { type MeterLevel, meterLevel, percentUsed } from "@/components/history/format";
import type { WindowName } from "@/lib/quota/windows";
import { formatCount } from "../format";

export const windowLabels: Record<WindowName, string> = {
  hour: "This hour",
  day: "Today",
  month: "This month",
};

const barColors: Record<MeterLevel, string> = {
  ok: "[&::-webkit-meter-optimum-value]:bg-brand-600 [&::-moz-meter-bar]:bg-brand-600",
  warning: "[&::-webkit-meter-optimum-value]:bg-amber-500 [&::-moz-meter-bar]:bg-amber-500",
  full: "[&::-webkit-meter-optimum-value]:bg-red-600 [&::-moz-meter-bar]:bg-red-600",
};

export function WindowMeter({
  window,
  used,
  limit,
  who,
}: {
  window: WindowName;
  used: number;
  limit: number;
  /** Whose usage, for the meter's accessible name ("a@b.c, this hour"). */
  who: string;
}) {
  const level = meterLevel(used, limit);
  const percent = percentUsed(used, limit);
  return (
    <div className="min-w-24 space-y-1" data-testid={`usage-${window}`} data-level={level}>
      <span className="block tabular-nums" data-testid={`usage-${window}-count`}>
        {formatCount(used)} / {formatCount(limit)}
      </span>
      <meter
        aria-label={`${who}, ${windowLabels[window].toLowerCase()}`}
        min={0}
        max={Math.max(limit, 1)}
        value={Math.min(used, limit)}
        aria-valuetext={`${used} of ${limit} calls used (${percent}%)`}
        className={`block h-1.5 w-full appearance-none overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800 [&::-webkit-meter-bar]:h-1.5 [&::-webkit-meter-bar]:rounded-full [&::-webkit-meter-bar]:border-0 [&::-webkit-meter-bar]:bg-none [&::-webkit-meter-bar]:bg-zinc-200 [&::-webkit-meter-optimum-value]:bg-none dark:[&::-webkit-meter-bar]:bg-zinc-800 ${barColors[level]}`}
      >
        {percent}%
      </meter>
    </div>
  );
}
