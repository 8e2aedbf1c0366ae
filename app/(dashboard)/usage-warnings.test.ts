import { describe, expect, it } from "vitest";
import type { Usage } from "@/lib/quota/usage";
import { describeUsageWarnings } from "./usage-warnings";

function usageOf(hour: [number, number], day: [number, number], month: [number, number]): Usage {
  return {
    hour: { used: hour[0], limit: hour[1], resetsAt: "2030-11-14T14:00:00.000Z" },
    day: { used: day[0], limit: day[1], resetsAt: "2030-11-15T00:00:00.000Z" },
    month: { used: month[0], limit: month[1], resetsAt: "2030-12-01T00:00:00.000Z" },
  };
}

describe("describeUsageWarnings", () => {
  it("says nothing below 80 % of every limit", () => {
    expect(describeUsageWarnings(usageOf([63, 80], [100, 160], [0, 300]))).toEqual([]);
  });

  it("warns from 80 %, naming the numbers and when calls would be refused", () => {
    const [warning, ...others] = describeUsageWarnings(usageOf([64, 80], [10, 160], [10, 300]));
    expect(others).toEqual([]);
    expect(warning).toMatchObject({ window: "hour", level: "warning" });
    expect(warning?.message).toBe(
      "You have used 64 of 80 calls allowed this hour (80%). At 80, calls are refused until 14:00 UTC.",
    );
    expect(warning?.advice).toBe("If you need more, ask your administrator to raise your limits.");
  });

  it("puts a used-up window first, says until when calls are refused and what to do", () => {
    const warnings = describeUsageWarnings(usageOf([70, 80], [160, 160], [300, 300]), { admin: true });
    expect(warnings.map((warning) => [warning.window, warning.level])).toEqual([
      ["day", "full"],
      ["month", "full"],
      ["hour", "warning"],
    ]);
    expect(warnings[0]?.message).toBe(
      "You have used all 160 calls allowed today; calls are refused until 00:00 UTC on Nov 15.",
    );
    expect(warnings[1]?.message).toBe(
      "You have used all 300 calls allowed this month; calls are refused until Dec 1.",
    );
    expect(warnings[0]?.advice).toMatch(/^Wait until then\. You are an administrator/);
  });

  it("says a limit of 0 plainly", () => {
    expect(describeUsageWarnings(usageOf([0, 0], [0, 160], [0, 300]))[0]?.message).toBe(
      "Your limit this hour is 0 calls: calls are refused until 14:00 UTC.",
    );
  });
});
