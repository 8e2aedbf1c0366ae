// What a check or a real call says about a connection, told apart by cause: the app refused the
// credentials (reconnect), could not be reached from this server (its network), or answered the
// check with another error. The message is stored and shown as is, so it carries the advice that
// fits the cause.
import {
  ActionError,
  AppUnreachableError,
  CredentialsRejectedError,
  RateLimitedError,
} from "@/integrations/sdk/errors";
import type { ConnectionStatus } from "./status-words";

export type Verdict = { status: ConnectionStatus; message: string | null };

export const workingVerdict: Verdict = { status: "OK", message: null };

function unreachable(error: AppUnreachableError, appName: string): Verdict {
  if (error.httpStatus !== undefined)
    return {
      status: "UNREACHABLE",
      message: `${appName} answered with a server error (HTTP ${error.httpStatus}): the problem is on ${appName}'s side, not your account's. Test again later.`,
    };
  return {
    status: "UNREACHABLE",
    message: `${appName} could not be reached from this server (${error.reason}): check its network access (DNS, firewall or proxy), then test again. Your account's credentials were not tried.`,
  };
}

/** A real call's failure: null when it says nothing about the connection (bad input, a 404). */
export function verdictOfCallFailure(error: unknown, appName: string): Verdict | null {
  if (error instanceof CredentialsRejectedError) return { status: "NEEDS_RECONNECT", message: error.message };
  if (error instanceof AppUnreachableError) return unreachable(error, appName);
  return null;
}

/**
 * A failed check (the app's cheap authenticated read): a 403 there refuses the credentials too.
 * null for a rate limit, which says nothing either way.
 */
export function verdictOfCheckFailure(error: unknown, appName: string): Verdict | null {
  if (error instanceof RateLimitedError) return null;
  const verdict = verdictOfCallFailure(error, appName);
  if (verdict) return verdict;
  if (error instanceof ActionError && error.httpStatus === 403)
    return {
      status: "NEEDS_RECONNECT",
      message: `${appName} refused these credentials (${error.message.replace(/\.$/, "")}). Reconnect with credentials that are still valid and allowed to read the account.`,
    };
  const detail = error instanceof Error && error.message ? error.message : "The check failed.";
  return {
    status: "NOT_WORKING",
    message: `${detail.replace(/\s*$/, "")} Check the values you entered, then test again.`,
  };
}
