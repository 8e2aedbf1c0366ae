// Quota windows are calendar windows in UTC: the hour, the day and the month a moment falls in.
// Every boundary is computed here, from one clock, so reservation and refund always agree.
// Values per window are records keyed by the window's name; only the names others keep (plan
// fields, database columns, CLI flags, words) say "hourly", "daily", "monthly".
export type WindowName = "hour" | "day" | "month";
/** The windows in a fixed order, for the places that need a list (Redis scripts, MGET). */
export const windowNames: readonly WindowName[] = ["hour", "day", "month"];

export type QuotaWindow = { name: WindowName; id: string; startsAt: Date; resetsAt: Date };

/** How people, plan fields and CLI flags name each window's limit: "the hourly limit". */
export const windowAdjectives = { hour: "hourly", day: "daily", month: "monthly" } as const;

/** A record with a value for each window; `index` is the window's place in `windowNames`. */
export function byWindow<T>(valueFor: (name: WindowName, index: number) => T): Record<WindowName, T> {
  return { hour: valueFor("hour", 0), day: valueFor("day", 1), month: valueFor("month", 2) };
}

const pad = (value: number, width = 2) => String(value).padStart(width, "0");

export function getWindows(now: Date): Record<WindowName, QuotaWindow> {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  const day = now.getUTCDate();
  const hour = now.getUTCHours();
  const monthId = `${year}${pad(month + 1)}`;
  return {
    hour: {
      name: "hour",
      id: `${monthId}${pad(day)}${pad(hour)}`,
      startsAt: new Date(Date.UTC(year, month, day, hour)),
      resetsAt: new Date(Date.UTC(year, month, day, hour + 1)),
    },
    day: {
      name: "day",
      id: `${monthId}${pad(day)}`,
      startsAt: new Date(Date.UTC(year, month, day)),
      resetsAt: new Date(Date.UTC(year, month, day + 1)),
    },
    month: {
      name: "month",
      id: monthId,
      startsAt: new Date(Date.UTC(year, month, 1)),
      resetsAt: new Date(Date.UTC(year, month + 1, 1)),
    },
  };
}

/** The platform's clock. Tests replace it to cross window boundaries. */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();
