// Quota windows are calendar windows in UTC: the hour, the day and the month a moment falls in.
// Every boundary is computed here, from one clock, so reservation and refund always agree.
export type WindowName = "hour" | "day" | "month";
export const windowNames: WindowName[] = ["hour", "day", "month"];

export type QuotaWindow = { name: WindowName; id: string; startsAt: Date; resetsAt: Date };

const pad = (value: number, width = 2) => String(value).padStart(width, "0");

export function getWindows(now: Date): QuotaWindow[] {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  const day = now.getUTCDate();
  const hour = now.getUTCHours();
  const monthId = `${year}${pad(month + 1)}`;
  return [
    {
      name: "hour",
      id: `${monthId}${pad(day)}${pad(hour)}`,
      startsAt: new Date(Date.UTC(year, month, day, hour)),
      resetsAt: new Date(Date.UTC(year, month, day, hour + 1)),
    },
    {
      name: "day",
      id: `${monthId}${pad(day)}`,
      startsAt: new Date(Date.UTC(year, month, day)),
      resetsAt: new Date(Date.UTC(year, month, day + 1)),
    },
    {
      name: "month",
      id: monthId,
      startsAt: new Date(Date.UTC(year, month, 1)),
      resetsAt: new Date(Date.UTC(year, month + 1, 1)),
    },
  ];
}

/** The platform's clock. Tests replace it to cross window boundaries. */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();
