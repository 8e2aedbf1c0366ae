import { describe, expect, it } from "vitest";
import { changesOfUse, type UsedConnection } from "./connection-status";

const now = new Date("2026-12-05T10:00:00Z");
const working: UsedConnection = {
  id: "c1",
  status: "OK",
  statusMessage: null,
  lastUsedAt: new Date(now.getTime() - 30_000),
};
const unreachable = { status: "UNREACHABLE" as const, message: "GitHub could not be reached." };

describe("changesOfUse", () => {
  it("writes nothing for a working connection used again within the minute", () => {
    expect(changesOfUse(working, { status: "OK", message: null }, now)).toEqual({});
    expect(changesOfUse(working, null, now)).toEqual({});
  });

  it("writes last used once it is a minute old, or never set", () => {
    const minuteAgo = { ...working, lastUsedAt: new Date(now.getTime() - 60_000) };
    expect(changesOfUse(minuteAgo, null, now)).toEqual({ lastUsedAt: now });
    expect(changesOfUse({ ...working, lastUsedAt: null }, null, now)).toEqual({ lastUsedAt: now });
  });

  it("writes a changed status and its message, and clears the message when it works again", () => {
    expect(changesOfUse(working, unreachable, now)).toEqual({
      status: "UNREACHABLE",
      statusMessage: "GitHub could not be reached.",
    });
    const failing = { ...working, status: "UNREACHABLE" as const, statusMessage: unreachable.message };
    expect(changesOfUse(failing, unreachable, now)).toEqual({});
    expect(changesOfUse(failing, { status: "OK", message: null }, now)).toEqual({
      status: "OK",
      statusMessage: null,
    });
  });
});
