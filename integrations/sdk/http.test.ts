import { describe, expect, it } from "vitest";
import { ActionError, CredentialsRejectedError, RateLimitedError, RetriableError } from "./errors";
import { encodeForm, errorForStatus, readErrorText, retryAfterMs } from "./http";

const headers = (values: Record<string, string> = {}) => new Headers(values);

describe("errorForStatus", () => {
  it("makes a 429 a rate limit that waits Retry-After, or 30 s when the app gives none", () => {
    const limited = errorForStatus("App", 429, headers({ "retry-after": "12" }), "slow down");
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect((limited as RateLimitedError).retryAfterMs).toBe(12_000);
    expect(limited.message).toBe("App is rate limiting this account (HTTP 429): slow down");
    expect((errorForStatus("App", 429, headers(), undefined) as RateLimitedError).retryAfterMs).toBe(30_000);
  });

  it("reads GitHub's 403 rate limits: none left (until the reset) or a Retry-After", () => {
    const reset = Math.floor(Date.now() / 1000) + 60;
    const primary = errorForStatus(
      "GitHub",
      403,
      headers({ "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset) }),
      "API rate limit exceeded",
    );
    expect(primary).toBeInstanceOf(RateLimitedError);
    expect((primary as RateLimitedError).retryAfterMs).toBeGreaterThan(55_000);
    expect(errorForStatus("GitHub", 403, headers({ "retry-after": "5" }), "secondary")).toBeInstanceOf(
      RateLimitedError,
    );
    const forbidden = errorForStatus(
      "GitHub",
      403,
      headers({ "x-ratelimit-remaining": "4999" }),
      "no access",
    );
    expect(forbidden).toBeInstanceOf(ActionError);
    expect(forbidden).not.toBeInstanceOf(CredentialsRejectedError);
  });

  it("asks for a reconnection on 401, retries 408 and 5xx, and makes other 4xx final", () => {
    expect(errorForStatus("App", 401, headers(), "bad token")).toBeInstanceOf(CredentialsRejectedError);
    expect(errorForStatus("App", 401, headers(), "bad token").message).toMatch(/Reconnect the account\.$/);
    for (const status of [408, 500, 502, 503])
      expect(errorForStatus("App", status, headers(), undefined)).toBeInstanceOf(RetriableError);
    for (const status of [400, 404, 409, 422]) {
      const error = errorForStatus("App", status, headers(), "nope");
      expect(error).toBeInstanceOf(ActionError);
      expect(error.message).toBe(`App refused the request (HTTP ${status}): nope`);
    }
  });
});

describe("retryAfterMs", () => {
  it("reads seconds, an HTTP date, or an epoch-seconds reset", () => {
    const now = Date.parse("2026-11-24T12:00:00Z");
    expect(retryAfterMs(headers({ "retry-after": "2.5" }), now)).toBe(2_500);
    expect(retryAfterMs(headers({ "retry-after": "Tue, 24 Nov 2026 12:00:10 GMT" }), now)).toBe(10_000);
    expect(retryAfterMs(headers({ "x-ratelimit-reset": String(now / 1000 + 30) }), now)).toBe(30_000);
    expect(retryAfterMs(headers(), now)).toBeUndefined();
  });
});

describe("readErrorText", () => {
  it("finds the message in the common error shapes", () => {
    expect(readErrorText({ message: "Not Found" })).toBe("Not Found");
    expect(readErrorText({ error: { message: "Invalid request", type: "x" } })).toBe("Invalid request");
    expect(readErrorText({ error: "invalid_grant", error_description: "expired" })).toBe("expired");
    expect(readErrorText({ errors: [{ message: "Field required" }] })).toBe("Field required");
    expect(readErrorText({ errors: ["plain"] })).toBe("plain");
    expect(readErrorText("  invalid id \n")).toBe("invalid id");
    expect(readErrorText({ unrelated: true })).toBeUndefined();
  });
});

describe("encodeForm", () => {
  it("repeats array values and leaves out missing ones", () => {
    expect(
      encodeForm({ To: "+15551234567", MediaUrl: ["https://a/1.png", "https://a/2.png"], Skip: undefined }),
    ).toBe("To=%2B15551234567&MediaUrl=https%3A%2F%2Fa%2F1.png&MediaUrl=https%3A%2F%2Fa%2F2.png");
  });
});
