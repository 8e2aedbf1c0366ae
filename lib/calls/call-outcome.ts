// How a call ended, in the call's own terms rather than any protocol's: MCP turns it into a
// tools/call result (lib/mcp/call-result.ts), "Run it once" shows it on the tool's page.
import { type WindowName, windowAdjectives } from "@/lib/quota/windows";

/** What a worker's run of a call gives, and what the ledger holds of a finished call. */
export type RunOutcome =
  | { status: "succeeded"; output: unknown }
  | { status: "failed"; code: string; message: string };

export type CallOutcome =
  | RunOutcome
  /**
   * The quota had no room: nothing ran and nothing was used. `org` names the organization when
   * the call was on its server, and `member` whether the member's own limit in it refused it.
   */
  | {
      status: "refused";
      window: WindowName;
      limit: number;
      resetsAt: Date;
      org?: { name: string; member: boolean };
    }
  /** The client cancelled; `started`: the action had started already and runs to its end. */
  | { status: "cancelled"; started: boolean };

export function failedOutcome(code: string, message: string): RunOutcome {
  return { status: "failed", code, message };
}

function whoseLimit(outcome: Extract<CallOutcome, { status: "refused" }>): string {
  const adjective = windowAdjectives[outcome.window];
  if (!outcome.org) return `the ${adjective} limit`;
  return outcome.org.member
    ? `your ${adjective} limit in ${outcome.org.name}`
    : `the organization's ${adjective} limit`;
}

/** The outcome in words, for a model or a person: the output as JSON when it succeeded. */
export function describeCallOutcome(outcome: CallOutcome): string {
  switch (outcome.status) {
    case "succeeded":
      return JSON.stringify(outcome.output, null, 2) ?? "null";
    case "failed":
      return outcome.message;
    case "refused":
      return `Quota exceeded: ${whoseLimit(outcome)} of ${outcome.limit} tool calls is used up. It resets at ${outcome.resetsAt.toISOString()}.`;
    case "cancelled":
      return outcome.started
        ? "The call was cancelled, but its action had already started, so it runs to its end; its outcome will appear in the history."
        : "The call was cancelled before its action started; no quota was used.";
  }
}
