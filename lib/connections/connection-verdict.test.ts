// What a failed check or call says about a connection, from real failures: GitHub's own check
// (Octokit over the guarded client) against the GitHub emulator on loopback that refuses a token or
// answers an injected error, a loopback port with nothing listening, and a name that cannot exist.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import github from "@/integrations/github";
import { createApiClient } from "@/integrations/sdk/http";
import { type GitHubEmulator, githubToken, startGitHubEmulator } from "../../test/emulators/github";
import { type Verdict, verdictOfCallFailure, verdictOfCheckFailure } from "./connection-verdict";

let emulator: GitHubEmulator;
let closedPortUrl: string;

beforeAll(async () => {
  emulator = await startGitHubEmulator();
  // A port that was just free and is closed again: nothing listens there.
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  closedPortUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
});

afterAll(async () => {
  await emulator?.stop();
});

/** Runs GitHub's own connection check against `baseUrl` and answers what it threw. */
async function failureOfCheck(baseUrl: string, token = githubToken): Promise<unknown> {
  const signal = AbortSignal.timeout(10_000);
  const context = {
    auth: { token },
    http: createApiClient({
      appName: "GitHub",
      baseUrl,
      headers: github.api!.headers({ token }),
      signal,
      trustedDestination: true,
    }),
    signal,
  };
  try {
    await github.test!(context);
  } catch (error) {
    return error;
  }
  throw new Error("the check passed");
}

const checkVerdict = async (baseUrl: string, token?: string): Promise<Verdict | null> =>
  verdictOfCheckFailure(await failureOfCheck(baseUrl, token), "GitHub");

describe("telling network failures from refused credentials", () => {
  it("passes GitHub's check with the token the emulator accepts", async () => {
    await expect(failureOfCheck(emulator.url)).rejects.toThrow("the check passed");
  });

  it("a token GitHub refuses (401 Bad credentials) needs reconnecting, on a check and a call", async () => {
    const error = await failureOfCheck(emulator.url, "ghp_revoked000000000000000000000000000");
    const verdict = verdictOfCheckFailure(error, "GitHub");
    expect(verdict?.status).toBe("NEEDS_RECONNECT");
    expect(verdict?.message).toMatch(
      /^GitHub rejected the connection's credentials \(HTTP 401\): Bad credentials/,
    );
    expect(verdictOfCallFailure(error, "GitHub")).toEqual(verdict);
  });

  it("a 403 on the check refuses the credentials; on a call it says nothing about them", async () => {
    emulator.injectOnce({
      status: 403,
      json: { message: "Resource not accessible by personal access token" },
    });
    const error = await failureOfCheck(emulator.url);
    const verdict = verdictOfCheckFailure(error, "GitHub");
    expect(verdict?.status).toBe("NEEDS_RECONNECT");
    expect(verdict?.message).toMatch(
      /^GitHub refused these credentials \(.*HTTP 403.*Resource not accessible/,
    );
    expect(verdictOfCallFailure(error, "GitHub")).toBeNull();
  });

  it("a port with nothing listening is unreachable, with advice about the network, not the token", async () => {
    const verdict = await checkVerdict(closedPortUrl);
    const host = new URL(closedPortUrl).host;
    expect(verdict).toEqual({
      status: "UNREACHABLE",
      message: `GitHub could not be reached from this server (${host} refused the connection): check its network access (DNS, firewall or proxy), then test again. Your account's credentials were not tried.`,
    });
    expect(verdict?.message).not.toMatch(/token|reconnect/i);
  });

  it("an unknown host is unreachable, and says the name was not found", async () => {
    const error = await failureOfCheck("http://nonexistent.invalid");
    expect((error as Error).message).toBe(
      "Could not reach GitHub: the name nonexistent.invalid was not found (ENOTFOUND).",
    );
    const verdict = verdictOfCheckFailure(error, "GitHub");
    expect(verdict?.status).toBe("UNREACHABLE");
    expect(verdict?.message).toMatch(
      /^GitHub could not be reached from this server \(the name nonexistent\.invalid was not found\): check its network access/,
    );
    // A real call that cannot reach the app says the same.
    expect(verdictOfCallFailure(error, "GitHub")).toEqual(verdict);
  });

  it("a server error (5xx) is GitHub's side, not the account's", async () => {
    emulator.injectOnce({ status: 503, json: { message: "Service Unavailable" } });
    const verdict = await checkVerdict(emulator.url);
    expect(verdict).toEqual({
      status: "UNREACHABLE",
      message:
        "GitHub answered with a server error (HTTP 503): the problem is on GitHub's side, not your account's. Test again later.",
    });
  });

  it("another answer to the check is Not working with the app's words; a rate limit says nothing", async () => {
    emulator.injectOnce({ status: 404, json: { message: "Not Found" } });
    const verdict = await checkVerdict(emulator.url);
    expect(verdict?.status).toBe("NOT_WORKING");
    expect(verdict?.message).toMatch(/^GitHub refused the request \(HTTP 404\): Not Found.*Check the values/);

    emulator.injectOnce({ status: 429, json: { message: "slow down" }, headers: { "retry-after": "1" } });
    expect(await checkVerdict(emulator.url)).toBeNull();
  });
});
