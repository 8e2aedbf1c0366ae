// Words and numbers of the admin pages: durations as bucket bounds ("under 500 ms"), rates, counts,
// shares of a limit and UTC times. Client components (the charts) use it too, so it imports nothing
// of the server: the bucket bounds come in as an argument.

export function formatMs(ms: number): string {
  return ms < 1_000 ? `${ms} ms` : `${(ms / 1_000).toLocaleString("en", { maximumFractionDigits: 1 })} s`;
}

export type BucketLabels = {
  /** "under 500 ms", ..., "30 s or more", per bucket. */
  phrases: string[];
  /** The p95 axis's ticks: "< 500 ms", ..., "≥ 30 s". */
  ticks: string[];
};

/** Labels of the duration buckets, from their upper bounds (the last bucket has none). */
export function describeBuckets(boundsMs: readonly number[]): BucketLabels {
  const last = formatMs(boundsMs.at(-1) ?? 0);
  return {
    phrases: [...boundsMs.map((bound) => `under ${formatMs(bound)}`), `${last} or more`],
    ticks: [...boundsMs.map((bound) => `< ${formatMs(bound)}`), `≥ ${last}`],
  };
}

/** A p95 bucket in words: "under 500 ms", "30 s or more", or "no calls ran". */
export function describeP95(bucket: number | null, labels: BucketLabels): string {
  return bucket === null ? "no calls ran" : (labels.phrases[bucket] ?? "unknown");
}

export function formatPercent(rate: number | null): string {
  if (rate === null) return "–";
  const percent = rate * 100;
  return `${percent.toLocaleString("en", { maximumFractionDigits: percent > 0 && percent < 10 ? 1 : 0 })}%`;
}

export function formatCount(count: number): string {
  return count.toLocaleString("en");
}

/** "52%": a share of 0.523 (1 and over read "100%", so an over-used limit still reads as used up). */
export function formatShare(share: number): string {
  return `${Math.min(100, Math.round(share * 100))}%`;
}

const monthDay = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", timeZone: "UTC" });
const weekdayMonthDay = new Intl.DateTimeFormat("en", {
  weekday: "short",
  month: "short",
  day: "numeric",
  timeZone: "UTC",
});

/** "Mar 12, 10:00" (UTC). */
export function formatHour(iso: string): string {
  const date = new Date(iso);
  return `${monthDay.format(date)}, ${String(date.getUTCHours()).padStart(2, "0")}:00`;
}

/** "Mar 12" (UTC). */
export function formatDay(iso: string): string {
  return monthDay.format(new Date(iso));
}

/** "Thu, Mar 12" (UTC). */
export function formatDayLong(iso: string): string {
  return weekdayMonthDay.format(new Date(iso));
}

/** "2031-03-12 10:04:05 UTC". */
export function formatUtc(iso: string): string {
  return `${iso.slice(0, 19).replace("T", " ")} UTC`;
}
