import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ActionError, CredentialsRejectedError, RateLimitedError, RetriableError } from "./errors";
import { createApiClient, encodeForm, errorForStatus, readErrorText, retryAfterMs } from "./http";

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

describe("createApiClient", () => {
  // The app's API (an operator-set base URL with a path, on loopback) and a server that stands for
  // anywhere else; each records the paths it was asked for.
  const seen = { api: [] as string[], elsewhere: [] as string[] };
  let api: http.Server;
  let elsewhere: http.Server;
  let apiOrigin: string;
  let elsewhereOrigin: string;

  async function listen(record: string[]): Promise<[http.Server, string]> {
    const server = http.createServer((request, response) => {
      record.push(request.url ?? "");
      response.setHeader("content-type", "application/json");
      response.end(JSON.stringify({ path: request.url }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return [server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`];
  }

  beforeAll(async () => {
    [api, apiOrigin] = await listen(seen.api);
    [elsewhere, elsewhereOrigin] = await listen(seen.elsewhere);
  });

  afterAll(() => {
    api.close();
    elsewhere.close();
  });

  const client = (otherBaseUrls?: string[]) =>
    createApiClient({
      appName: "App",
      baseUrl: `${apiOrigin}/api/v1`,
      headers: { authorization: "Bearer app-token" },
      signal: AbortSignal.timeout(5_000),
      trustedDestination: true,
      ...(otherBaseUrls && { otherBaseUrls }),
    });

  it("sends paths, and full URLs under the base URL, to the app", async () => {
    expect(await client().request("/items")).toEqual({ path: "/api/v1/items" });
    expect(await client().request("items/1")).toEqual({ path: "/api/v1/items/1" });
    expect(await client().request(`${apiOrigin}/api/v1/items?page=2`)).toEqual({
      path: "/api/v1/items?page=2",
    });
    // Slashes at the start are a path's, not another host's.
    expect(await client().request("//evil.example/x")).toEqual({ path: "/api/v1/evil.example/x" });
  });

  it.each([
    () => "https://evil.example/",
    () => `${elsewhereOrigin}/steal`,
    () => `HTTP://${elsewhereOrigin.slice("http://".length)}/steal`,
    () => `${apiOrigin}/admin`,
    () => `${apiOrigin}/api/v10/items`,
    () => "/../../admin",
    () => "%2e%2e/%2E%2E/admin",
    () => "items/../../../admin",
  ])("refuses a path that leaves the base URL: %s", async (build) => {
    const before = { api: seen.api.length, elsewhere: seen.elsewhere.length };
    const failure = await client()
      .request(build())
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ActionError);
    expect((failure as Error).message).toMatch(/is not a path of App's API .*requests cannot leave it/);
    await expect(client().fetch(build())).rejects.toBeInstanceOf(ActionError);
    expect({ api: seen.api.length, elsewhere: seen.elsewhere.length }).toEqual(before);
  });

  it("reaches the app's other API roots when it names them", async () => {
    const other = client([`${elsewhereOrigin}/drive/v3`]);
    expect(await other.request(`${elsewhereOrigin}/drive/v3/files`)).toEqual({ path: "/drive/v3/files" });
    await expect(other.request(`${elsewhereOrigin}/other`)).rejects.toBeInstanceOf(ActionError);
  });
});
