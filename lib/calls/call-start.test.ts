// The start-or-stop decision of a call (call-start.ts) in the run's Redis: whichever of the
// worker's start and the client's cancellation comes first wins, even when they race, and the
// other side sees it.
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { disconnectRedis } from "@/lib/redis/client";
import { claimCallCancel, claimCallStart, releaseCallStart, stopCallIfNotStarted } from "./call-start";

afterAll(async () => {
  await disconnectRedis();
});

describe("claiming a call's start", () => {
  it("a cancellation before the start stops the call for good", async () => {
    const callId = randomUUID();
    expect(await claimCallCancel(callId)).toBe("stopped");
    expect(await claimCallStart(callId)).toBe("stopped");
    expect(await claimCallStart(callId)).toBe("stopped");
    expect(await claimCallCancel(callId)).toBe("stopped");
  });

  it("a cancellation after the start leaves it running; a second delivery sees it started", async () => {
    const callId = randomUUID();
    expect(await claimCallStart(callId)).toBe("started");
    expect(await claimCallCancel(callId)).toBe("started");
    expect(await claimCallStart(callId)).toBe("restarted");
  });

  it("gives the start back before a 429 wait, unless the client cancelled meanwhile", async () => {
    const released = randomUUID();
    await claimCallStart(released);
    expect(await releaseCallStart(released)).toBe("released");
    expect(await claimCallStart(released)).toBe("started");

    const cancelled = randomUUID();
    await claimCallStart(cancelled);
    expect(await claimCallCancel(cancelled)).toBe("started");
    expect(await releaseCallStart(cancelled)).toBe("stopped");
    expect(await claimCallStart(cancelled)).toBe("stopped");
  });

  it("lets the platform stop a call that has not started, without touching one that has", async () => {
    const idle = randomUUID();
    expect(await stopCallIfNotStarted(idle)).toBe("stopped");
    expect(await claimCallStart(idle)).toBe("stopped");
    const running = randomUUID();
    await claimCallStart(running);
    expect(await stopCallIfNotStarted(running)).toBe("started");
    expect(await claimCallStart(running)).toBe("restarted");
  });

  it("decides every race one way: the two sides never both win", async () => {
    const races = await Promise.all(
      Array.from({ length: 200 }, async (_, index) => {
        const callId = randomUUID();
        // Half the races send the cancellation first, half the start.
        const cancelFirst = index % 2 === 0;
        const [first, second] = await Promise.all(
          cancelFirst
            ? [claimCallCancel(callId), claimCallStart(callId)]
            : [claimCallStart(callId), claimCallCancel(callId)],
        );
        return cancelFirst ? { cancel: first, start: second } : { start: first, cancel: second };
      }),
    );
    for (const { start, cancel } of races) expect(cancel).toBe(start === "started" ? "started" : "stopped");
    expect(races.every(({ start }) => start === "started" || start === "stopped")).toBe(true);
  });
});
