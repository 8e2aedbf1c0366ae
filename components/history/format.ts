// Words and numbers for the history page: reset times, durations, relative times, the status
// names a person reads, and the page's URL parameters (kept in the URL so filters survive a reload
// and work without JavaScript).
import type { CallStatus } from "@/lib/db/generated/client.ts";
import type { WindowName } from "@/lib/quota/windows";

const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (value: number) => String(value).padStart(2, "0");

function utcTime(date: Date): string {
  return `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())} UTC`;
}

function utcDay(date: Date): string {
  return `${months[date.getUTCMonth()]} ${date.getUTCDate()}`;
}

/** When a window resets: "14:00 UTC", "00:00 UTC on Nov 15", "Dec 1". */
export function describeResetMoment(window: WindowName, resetsAt: Date): string {
  if (window === "month") return utcDay(resetsAt);
  return window === "hour" ? utcTime(resetsAt) : `${utcTime(resetsAt)} on ${utcDay(resetsAt)}`;
}

/** "resets at 14:00 UTC", "resets at 00:00 UTC on Nov 15", "resets on Dec 1". */
export function describeReset(window: WindowName, resetsAt: Date): string {
  return `resets ${window === "month" ? "on" : "at"} ${describeResetMoment(window, resetsAt)}`;
}

/** Whole percent used, 0-100 (a limit of 0 counts as used up). */
export function percentUsed(used: number, limit: number): number {
  if (limit <= 0) return 100;
  return Math.min(100, Math.round((used / limit) * 100));
}

export type MeterLevel = "ok" | "warning" | "full";

export function meterLevel(used: number, limit: number): MeterLevel {
  if (used >= limit) return "full";
  return limit > 0 && used / limit >= 0.8 ? "warning" : "ok";
}

export function formatDuration(ms: number | null): string {
  if (ms === null) return "—";
  if (ms < 1_000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1_000)} s`;
}

/** "2024-11-14 13:05:22 UTC" */
export function formatExact(date: Date): string {
  return `${date.toISOString().slice(0, 10)} ${date.toISOString().slice(11, 19)} UTC`;
}

const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ["day", 86_400],
  ["hour", 3_600],
  ["minute", 60],
];
const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

/** "just now", "5 minutes ago", "yesterday"; beyond a week, the date. */
export function formatRelative(date: Date, now: Date): string {
  const seconds = Math.round((now.getTime() - date.getTime()) / 1_000);
  if (seconds < 45) return "just now";
  if (seconds >= 7 * 86_400) return `${utcDay(date)}, ${date.getUTCFullYear()}`;
  for (const [unit, size] of units) {
    if (seconds >= size) return relative.format(-Math.floor(seconds / size), unit);
  }
  return relative.format(-1, "minute");
}

/** The status filter's values in the URL, and what a person reads. */
export const statusChoices = [
  { value: "success", status: "SUCCESS", label: "Success" },
  { value: "error", status: "ERROR", label: "Error" },
  { value: "refused", status: "REFUSED", label: "Refused" },
  { value: "timeout", status: "TIMEOUT", label: "Timed out" },
  { value: "running", status: "PENDING", label: "Running" },
] as const satisfies readonly { value: string; status: CallStatus; label: string }[];

export function statusLabel(status: CallStatus): string {
  return statusChoices.find((choice) => choice.status === status)?.label ?? status;
}

const outcomes: Record<CallStatus, string> = {
  SUCCESS: "it ran to its end and succeeded",
  ERROR: "it ran to its end and failed",
  TIMEOUT: "it ran until it timed out",
  PENDING: "it is still running",
  REFUSED: "it was refused",
};

/**
 * What the client's cancellation did, in a short form for the list and a sentence for the
 * details; undefined when the client never cancelled.
 */
export function describeCancellation(call: {
  status: CallStatus;
  errorCode: string | null;
  cancelRequestedAt: Date | null;
}): { short: string; sentence: string } | undefined {
  if (!call.cancelRequestedAt) return undefined;
  if (call.status === "ERROR" && call.errorCode === "cancelled")
    return {
      short: "Cancelled before it started",
      sentence: "Cancelled by the client before it started; nothing ran and no quota was used.",
    };
  return {
    short: "Cancelled after it started",
    sentence: `Cancelled by the client after it started; ${outcomes[call.status]}.`,
  };
}

export type HistoryParams = { server?: string; tool?: string; status?: string; before?: string };

const shortText = (value: unknown, max: number): string | undefined => {
  const text = Array.isArray(value) ? value[0] : value;
  return typeof text === "string" && text.trim() !== "" && text.length <= max ? text.trim() : undefined;
};

/** The page's search parameters, with anything unknown or empty dropped. */
export function parseHistoryParams(search: Record<string, string | string[] | undefined>): HistoryParams {
  const status = shortText(search.status, 20);
  return {
    server: shortText(search.server, 100),
    tool: shortText(search.tool, 100),
    status: statusChoices.some((choice) => choice.value === status) ? status : undefined,
    before: shortText(search.before, 100),
  };
}

export function statusOfParam(value: string | undefined): CallStatus | undefined {
  return statusChoices.find((choice) => choice.value === value)?.status;
}

/** /history with the given parameters, empty ones left out. */
export function historyHref(params: HistoryParams): string {
  const query = new URLSearchParams();
  for (const key of ["server", "tool", "status", "before"] as const) {
    const value = params[key];
    if (value) query.set(key, value);
  }
  const text = query.toString();
  return text ? `/history?${text}` : "/history";
}

export type TruncatedPayload = { truncated: true; bytes: number; preview: string };

/** The marker lib/calls/payload-limits.ts stores in place of a payload too large to keep. */
export function asTruncatedPayload(value: unknown): TruncatedPayload | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  if (
    record.truncated === true &&
    typeof record.bytes === "number" &&
    typeof record.preview === "string" &&
    Object.keys(record).length === 3
  )
    return { truncated: true, bytes: record.bytes, preview: record.preview };
  return undefined;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
