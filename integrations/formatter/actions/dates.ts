import { z } from "zod";
import { defineAction, pureComputation } from "@/integrations/sdk/define";

const dateInput = z
  .string()
  .max(100)
  .describe('A date and time in ISO 8601 (2026-03-01T09:30:00Z), or "now".');

const timeZone = z
  .string()
  .max(64)
  .default("UTC")
  .refine((zone) => {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, "an IANA time zone such as Europe/Paris")
  .describe("IANA time zone, such as UTC or America/New_York.");

function parseDate(text: string, now: Date): Date {
  const date = text.trim().toLowerCase() === "now" ? now : new Date(text);
  if (Number.isNaN(date.getTime()))
    throw new Error(`"${text}" is not a date: use ISO 8601, like 2026-03-01T09:30:00Z.`);
  return date;
}

export const formatDate = defineAction({
  key: "format_date",
  title: "Format a date",
  description: "Present a date and time in a time zone and locale, or as a Unix timestamp.",
  input: z.object({
    date: dateInput,
    time_zone: timeZone,
    locale: z.string().min(2).max(35).default("en-US").describe("BCP 47 locale, such as en-US or fr-FR."),
    style: z.enum(["full", "long", "medium", "short"]).default("long").describe("How much detail to show."),
  }),
  output: z.object({ formatted: z.string(), iso: z.string(), unix: z.number().int() }),
  annotations: pureComputation,
  run: async ({ input }) => {
    const date = parseDate(input.date, new Date());
    const formatted = new Intl.DateTimeFormat(input.locale, {
      dateStyle: input.style,
      timeStyle: input.style === "full" ? "long" : input.style,
      timeZone: input.time_zone,
    }).format(date);
    return { formatted, iso: date.toISOString(), unix: Math.floor(date.getTime() / 1000) };
  },
});

const unitMs = { minutes: 60_000, hours: 3_600_000, days: 86_400_000, weeks: 604_800_000 } as const;

export const addToDate = defineAction({
  key: "add_to_date",
  title: "Add to a date",
  description:
    "Add (or, with a negative amount, subtract) minutes, hours, days, weeks, months or years to a date. Works in UTC.",
  input: z.object({
    date: dateInput,
    amount: z
      .number()
      .int()
      .min(-100_000)
      .max(100_000)
      .describe("How many units to add; negative to subtract."),
    unit: z
      .enum(["minutes", "hours", "days", "weeks", "months", "years"])
      .describe("The unit of the amount."),
  }),
  output: z.object({ iso: z.string(), unix: z.number().int() }),
  annotations: pureComputation,
  run: async ({ input: { date: text, amount, unit } }) => {
    const date = parseDate(text, new Date());
    let result: Date;
    if (unit === "months" || unit === "years") {
      result = new Date(date);
      const months = unit === "years" ? amount * 12 : amount;
      const day = result.getUTCDate();
      result.setUTCDate(1);
      result.setUTCMonth(result.getUTCMonth() + months);
      // Clamp to the end of a shorter month (Jan 31 + 1 month = Feb 28/29).
      const lastDay = new Date(Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0)).getUTCDate();
      result.setUTCDate(Math.min(day, lastDay));
    } else {
      result = new Date(date.getTime() + amount * unitMs[unit]);
    }
    if (Number.isNaN(result.getTime())) throw new Error("The resulting date is out of range.");
    return { iso: result.toISOString(), unix: Math.floor(result.getTime() / 1000) };
  },
});
