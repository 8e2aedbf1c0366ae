// The history page's words: reset times, meter levels, durations, relative times and its URL.
import { describe, expect, it } from "vitest";
import {
  asTruncatedPayload,
  describeCancellation,
  describeReset,
  formatDuration,
  formatRelative,
  historyHref,
  meterLevel,
  parseHistoryParams,
  percentUsed,
  statusOfParam,
} from "./format";

describe("describeReset", () => {
  it("names the hour, the day and the month in UTC", () => {
    expect(describeReset("hour", new Date("2030-11-14T14:00:00Z"))).toBe("resets at 14:00 UTC");
    expect(describeReset("day", new Date("2030-11-15T00:00:00Z"))).toBe("resets at 00:00 UTC on Nov 15");
    expect(describeReset("month", new Date("2030-12-01T00:00:00Z"))).toBe("resets on Dec 1");
  });
});

describe("meters", () => {
  it("warns from 80 % and is full at the limit (or past it, after a lower limit)", () => {
    expect(meterLevel(79, 100)).toBe("ok");
    expect(meterLevel(80, 100)).toBe("warning");
    expect(meterLevel(100, 100)).toBe("full");
    expect(meterLevel(7, 5)).toBe("full");
    expect(meterLevel(0, 0)).toBe("full");
    expect(percentUsed(1, 3)).toBe(33);
    expect(percentUsed(7, 5)).toBe(100);
  });
});

describe("formatting", () => {
  it("says durations and times as a person would", () => {
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(120)).toBe("120 ms");
    expect(formatDuration(1_250)).toBe("1.3 s");
    expect(formatDuration(95_000)).toBe("1 min 35 s");
    const now = new Date("2030-11-14T12:00:00Z");
    expect(formatRelative(new Date("2030-11-14T11:59:50Z"), now)).toBe("just now");
    expect(formatRelative(new Date("2030-11-14T11:55:00Z"), now)).toBe("5 minutes ago");
    expect(formatRelative(new Date("2030-11-14T09:00:00Z"), now)).toBe("3 hours ago");
    expect(formatRelative(new Date("2030-11-13T11:00:00Z"), now)).toBe("yesterday");
    expect(formatRelative(new Date("2030-10-01T11:00:00Z"), now)).toBe("Oct 1, 2030");
  });

  it("recognises the ledger's marker for a payload too large to keep", () => {
    expect(asTruncatedPayload({ truncated: true, bytes: 70_000, preview: '{"a"' })).toEqual({
      truncated: true,
      bytes: 70_000,
      preview: '{"a"',
    });
    expect(asTruncatedPayload({ truncated: true, bytes: 1, preview: "", other: 1 })).toBeUndefined();
    expect(asTruncatedPayload([1])).toBeUndefined();
  });
});

describe("URL parameters", () => {
  it("keeps known filters, drops unknown statuses and empty values", () => {
    expect(parseHistoryParams({ server: "s1", tool: "", status: "nonsense", before: ["c1", "c2"] })).toEqual({
      server: "s1",
      tool: undefined,
      status: undefined,
      before: "c1",
    });
    expect(statusOfParam("timeout")).toBe("TIMEOUT");
    expect(statusOfParam("running")).toBe("PENDING");
    expect(historyHref({ server: "s 1", status: "error" })).toBe("/history?server=s+1&status=error");
    expect(historyHref({})).toBe("/history");
  });
});

describe("describeCancellation", () => {
  const requested = new Date("2030-11-14T14:00:00Z");

  it("says nothing of a call its client never cancelled", () => {
    expect(
      describeCancellation({ status: "SUCCESS", errorCode: null, cancelRequestedAt: null }),
    ).toBeUndefined();
  });

  it("tells a call stopped before it started from one that ran to its end", () => {
    expect(
      describeCancellation({ status: "ERROR", errorCode: "cancelled", cancelRequestedAt: requested }),
    ).toEqual({
      short: "Cancelled before it started",
      sentence: "Cancelled by the client before it started; nothing ran and no quota was used.",
    });
    expect(
      describeCancellation({ status: "SUCCESS", errorCode: null, cancelRequestedAt: requested }),
    ).toEqual({
      short: "Cancelled after it started",
      sentence: "Cancelled by the client after it started; it ran to its end and succeeded.",
    });
    expect(
      describeCancellation({ status: "ERROR", errorCode: "action_failed", cancelRequestedAt: requested })
        ?.sentence,
    ).toBe("Cancelled by the client after it started; it ran to its end and failed.");
    expect(
      describeCancellation({ status: "PENDING", errorCode: null, cancelRequestedAt: requested })?.sentence,
    ).toBe("Cancelled by the client after it started; it is still running.");
  });
});
