// The address a request is recorded and rate-limited under: the socket's peer by default, so a
// client cannot pick one with X-Forwarded-For; with TRUST_PROXY=1, the address the proxy appended.
// Seen through the audit trail of a REST call, over HTTP against two running platforms.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInLimits } from "@/lib/auth/rate-limit";
import { getDb } from "@/lib/db/client";
import { createApiToken } from "@/lib/tokens/api-tokens";
import { createUser } from "@/lib/users/create-user";
import { CookieJar, signInOverHttp } from "../helpers/auth-http";
import { type RunningPlatform, startPlatform, stopStartedPlatforms } from "../helpers/platform";
import { closeTestConnections } from "../helpers/teardown";

let direct: RunningPlatform;
let behindProxy: RunningPlatform;
let token: string;
const password = "a-long-password";
const uniqueEmail = (label: string) => `address-${label}-${randomBytes(4).toString("hex")}@example.com`;

beforeAll(async () => {
  // One after the other: each start builds first if the sources changed, and builds cannot overlap.
  direct = await startPlatform();
  behindProxy = await startPlatform({ env: { TRUST_PROXY: "1" } });
  const user = await createUser({
    email: `address-${randomBytes(4).toString("hex")}@example.com`,
    password: "a-long-password",
  });
  token = (await createApiToken(user.id, { name: "address test" })).token;
});

afterAll(async () => {
  await Promise.all([direct?.stop(), behindProxy?.stop()]);
  await stopStartedPlatforms();
  await closeTestConnections();
});

/** Creates a server through the REST API with the given headers; returns the audit event's address. */
async function recordedAddress(
  platform: RunningPlatform,
  headers: Record<string, string>,
): Promise<string | null> {
  const response = await fetch(`${platform.url}/api/v1/servers`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", ...headers },
    body: JSON.stringify({ name: "Address check" }),
  });
  expect(response.status).toBe(201);
  const { id } = (await response.json()) as { id: string };
  const event = await getDb().auditEvent.findFirstOrThrow({
    where: { action: "server.created", targetId: id },
  });
  return event.ip;
}

describe("the client address", () => {
  it("is the connecting peer by default, whatever X-Forwarded-For or X-Real-IP say", async () => {
    expect(await recordedAddress(direct, {})).toBe("127.0.0.1");
    expect(
      await recordedAddress(direct, { "X-Forwarded-For": "198.51.100.1", "X-Real-IP": "198.51.100.2" }),
    ).toBe("127.0.0.1");
  });

  it("is the address the trusted proxy appended with TRUST_PROXY=1, not one the client sent", async () => {
    expect(await recordedAddress(behindProxy, { "X-Forwarded-For": "198.51.100.1, 203.0.113.7" })).toBe(
      "203.0.113.7",
    );
    expect(await recordedAddress(behindProxy, { "X-Forwarded-For": "203.0.113.8" })).toBe("203.0.113.8");
    // A request that reached the server without passing the proxy is recorded under its peer.
    expect(await recordedAddress(behindProxy, {})).toBe("127.0.0.1");
  });

  it("carries the per-address sign-in limit: spoofed headers share one budget, proxied clients each have theirs", async () => {
    const limit = signInLimits.perAddress.max;
    const email = uniqueEmail("signin");
    await createUser({ email, password });
    /** `limit` failed sign-ins, each to another address and each claiming another origin. */
    const spray = (platform: RunningPlatform) =>
      Promise.all(
        Array.from({ length: limit }, (_, index) =>
          signInOverHttp(platform.url, uniqueEmail(`spray${index}`), "wrong-password", new CookieJar(), {
            "x-forwarded-for": `198.51.100.${index + 1}`,
          }),
        ),
      );
    for (const attempt of await spray(direct)) expect(attempt.code).toBe("invalid_credentials");
    const afterSpray = await signInOverHttp(direct.url, email, password, new CookieJar(), {
      "x-forwarded-for": "192.0.2.77",
    });
    expect(afterSpray.code).toBe("rate_limited");

    // Behind a trusted proxy each sprayed address is another client: the person signs in.
    for (const attempt of await spray(behindProxy)) expect(attempt.code).toBe("invalid_credentials");
    const proxied = await signInOverHttp(behindProxy.url, email, password, new CookieJar(), {
      "x-forwarded-for": "192.0.2.77",
    });
    expect(proxied.code).toBeNull();
    // A hundred sign-ins, each hashing a password: minutes on a shared, loaded machine.
  }, 180_000);
});
