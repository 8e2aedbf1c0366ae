import { describe, expect, it } from "vitest";
import { getWindows, windowNames } from "./windows";

const at = (iso: string) => new Date(iso);

describe("getWindows", () => {
  it("puts 23:59:59.999 on Dec 31 in the old year and 00:00 on Jan 1 in the new one", () => {
    const last = getWindows(at("2030-12-31T23:59:59.999Z"));
    const first = getWindows(at("2031-01-01T00:00:00.000Z"));
    expect(last.hour).toMatchObject({ id: "2030123123" });
    expect(last.day).toMatchObject({ id: "20301231" });
    expect(last.month).toMatchObject({ id: "203012" });
    expect(last.hour.resetsAt.toISOString()).toBe("2031-01-01T00:00:00.000Z");
    expect(last.day.resetsAt.toISOString()).toBe("2031-01-01T00:00:00.000Z");
    expect(last.month.resetsAt.toISOString()).toBe("2031-01-01T00:00:00.000Z");
    expect(first.hour).toMatchObject({ id: "2031010100" });
    expect(first.day).toMatchObject({ id: "20310101" });
    expect(first.month).toMatchObject({ id: "203101" });
    for (const name of windowNames) {
      expect(first[name].startsAt.toISOString()).toBe("2031-01-01T00:00:00.000Z");
      expect(first[name].id).not.toBe(last[name].id);
    }
  });

  it("ends February on the 29th in a leap year and on the 28th otherwise", () => {
    const leap = getWindows(at("2032-02-29T12:30:00Z"));
    expect(leap.day).toMatchObject({ id: "20320229" });
    expect(leap.day.resetsAt.toISOString()).toBe("2032-03-01T00:00:00.000Z");
    expect(leap.month.startsAt.toISOString()).toBe("2032-02-01T00:00:00.000Z");
    expect(leap.month.resetsAt.toISOString()).toBe("2032-03-01T00:00:00.000Z");
    expect(getWindows(at("2032-02-28T23:59:59.999Z")).day.resetsAt.toISOString()).toBe(
      "2032-02-29T00:00:00.000Z",
    );

    const plain = getWindows(at("2031-02-28T23:59:59.999Z"));
    expect(plain.day.resetsAt.toISOString()).toBe("2031-03-01T00:00:00.000Z");
    expect(plain.month.resetsAt.toISOString()).toBe("2031-03-01T00:00:00.000Z");
    expect(getWindows(at("2031-03-01T00:00:00Z")).month).toMatchObject({ id: "203103" });
    // 2100 is not a leap year (divisible by 100, not by 400); 2000 was.
    expect(getWindows(at("2100-02-28T10:00:00Z")).day.resetsAt.toISOString()).toBe(
      "2100-03-01T00:00:00.000Z",
    );
    expect(getWindows(at("2000-02-28T10:00:00Z")).day.resetsAt.toISOString()).toBe(
      "2000-02-29T00:00:00.000Z",
    );
  });

  it("rolls the hour over exactly at the boundary, inside the same day", () => {
    const before = getWindows(at("2031-05-06T10:59:59.999Z"));
    const after = getWindows(at("2031-05-06T11:00:00.000Z"));
    expect(before.hour).toMatchObject({ id: "2031050610" });
    expect(before.hour.startsAt.toISOString()).toBe("2031-05-06T10:00:00.000Z");
    expect(before.hour.resetsAt.toISOString()).toBe("2031-05-06T11:00:00.000Z");
    expect(after.hour).toMatchObject({ id: "2031050611" });
    expect(after.hour.resetsAt.toISOString()).toBe("2031-05-06T12:00:00.000Z");
    expect(after.day.id).toBe(before.day.id);
    expect(after.month.id).toBe(before.month.id);
  });

  it("rolls the last hour of a day into the next day and month (30-day month)", () => {
    const before = getWindows(at("2031-04-30T23:59:59.999Z"));
    expect(before.hour.resetsAt.toISOString()).toBe("2031-05-01T00:00:00.000Z");
    expect(before.month.resetsAt.toISOString()).toBe("2031-05-01T00:00:00.000Z");
    expect(getWindows(at("2031-05-01T00:00:00Z")).month).toMatchObject({ id: "203105" });
  });

  it("uses UTC whatever the local time zone says", () => {
    // 00:30 in Tokyo on Jan 1 is still Dec 31 in UTC.
    const windows = getWindows(new Date("2031-01-01T00:30:00+09:00"));
    expect(windows.day).toMatchObject({ id: "20301231" });
    expect(windows.hour).toMatchObject({ id: "2030123115" });
  });

  it("keys every window by its name and makes it contain the moment it was computed for", () => {
    for (const iso of ["2031-01-01T00:00:00Z", "2031-06-15T12:34:56.789Z", "2032-12-31T23:59:59.999Z"]) {
      const now = at(iso);
      const windows = getWindows(now);
      for (const name of windowNames) {
        const window = windows[name];
        expect(window.name).toBe(name);
        expect(window.startsAt.getTime()).toBeLessThanOrEqual(now.getTime());
        expect(window.resetsAt.getTime()).toBeGreaterThan(now.getTime());
      }
    }
  });
});
