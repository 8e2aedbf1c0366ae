// A call's outcome as a tools/call result: only success is not an error, the text is the
// outcome's words, and structured content comes only with an action's declared output.
import { describe, expect, it } from "vitest";
import type { CallOutcome } from "@/lib/calls/call-outcome";
import { toCallToolResult } from "./call-result";

const text = (value: string) => [{ type: "text", text: value }];

describe("toCallToolResult", () => {
  it("gives a success's output as JSON text, and as structured content when the action declares it", () => {
    const outcome: CallOutcome = { status: "succeeded", output: { result: "HI" } };
    const json = JSON.stringify({ result: "HI" }, null, 2);
    expect(toCallToolResult(outcome, true)).toEqual({
      content: text(json),
      structuredContent: { result: "HI" },
    });
    expect(toCallToolResult(outcome, false)).toEqual({ content: text(json) });
  });

  it("makes every other outcome a tool error in words, never with structured content", () => {
    const refused: CallOutcome = {
      status: "refused",
      window: "day",
      limit: 4,
      resetsAt: new Date("2031-01-02T00:00:00Z"),
    };
    expect(toCallToolResult(refused, true)).toEqual({
      isError: true,
      content: text(
        "Quota exceeded: the daily limit of 4 tool calls is used up. It resets at 2031-01-02T00:00:00.000Z.",
      ),
    });
    expect(toCallToolResult({ status: "failed", code: "timeout", message: "Too slow." }, true)).toEqual({
      isError: true,
      content: text("Too slow."),
    });
    expect(toCallToolResult({ status: "cancelled", started: false }, true).content).toEqual(
      text("The call was cancelled before its action started; no quota was used."),
    );
    expect(toCallToolResult({ status: "cancelled", started: true }, false).isError).toBe(true);
  });
});
