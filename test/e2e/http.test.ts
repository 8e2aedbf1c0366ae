// The running platform over plain HTTP: health, the cross-origin guard and security headers of
// proxy.ts and next.config.ts, request ids, and Auth.js's credentials sign-in as the sign-in
// page drives it. One platform (web + worker) on the run's database and Redis for the file.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { disconnectDb, getDb } from "@/lib/db/client";
import { createUser } from "@/lib/users/create-user";
import { CookieJar, sessionCookieName, signInOverHttp, signOutOverHttp } from "../helpers/auth-http";
import { type RunningPlatform, startPlatform, stopStartedPlatforms } from "../helpers/platform";

// Spawns processes: on a busy two-core machine each takes seconds, so tests get room; the
// behaviour's own time limits are asserted separately.
vi.setConfig({ testTimeout: 120_000 });

let platform: RunningPlatform;
const password = "correct horse battery";
const uniqueEmail = (label: string) => `http-${label}-${randomBytes(4).toString("hex")}@example.com`;
async function givenUser(label: string): Promise<string> {
  const email = uniqueEmail(label);
  await createUser({ email, password });
  return email;
}

beforeAll(async () => {
  platform = await startPlatform();
});

afterAll(async () => {
  await disconnectDb();
  if (platform) expect(await platform.stop()).toBe(0);
  await stopStartedPlatforms();
});

describe("GET /api/health", () => {
  it("answers 200 with the state of the database, Redis and the worker", async () => {
    const response = await fetch(`${platform.url}/api/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = await response.json();
    expect(body).toMatchObject({
      status: "ok",
      database: { ok: true },
      redis: { ok: true },
      worker: { ok: true },
    });
    expect(body.worker.live).toBeGreaterThanOrEqual(1);
  });

  it("is not refused for a cross-origin GET (only state-changing methods are)", async () => {
    const response = await fetch(`${platform.url}/api/health`, {
      headers: { origin: "https://evil.example" },
    });
    expect(response.status).toBe(200);
  });
});

describe("cross-origin guard", () => {
  const refusedOrigins = ["https://evil.example", "null", `http://127.0.0.1.evil.example`];
  for (const origin of refusedOrigins) {
    it(`POST /api/auth/signout with Origin ${origin} gets 403 JSON`, async () => {
      const response = await fetch(`${platform.url}/api/auth/signout`, {
        method: "POST",
        headers: { origin, "content-type": "application/x-www-form-urlencoded" },
        body: "csrfToken=x",
      });
      expect(response.status).toBe(403);
      expect(response.headers.get("content-type")).toContain("application/json");
      expect(response.headers.get("x-request-id")).toBeTruthy();
      expect(await response.json()).toEqual({
        error: { code: "forbidden", message: "Cross-origin requests are not allowed." },
      });
    });
  }

  it("refuses every state-changing method from another origin, on any /api route", async () => {
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
      const response = await fetch(`${platform.url}/api/health`, {
        method,
        headers: { origin: "https://evil.example" },
      });
      expect(response.status, method).toBe(403);
    }
  });

  it("POST /api/auth/signout from the platform's own origin is not refused", async () => {
    const email = await givenUser("same-origin");
    const { jar } = await signInOverHttp(platform.url, email, password);
    const csrf = await fetch(`${platform.url}/api/auth/csrf`, { headers: { cookie: jar.header() } });
    jar.take(csrf);
    const { csrfToken } = await csrf.json();
    const response = await fetch(`${platform.url}/api/auth/signout`, {
      method: "POST",
      headers: {
        origin: platform.url,
        cookie: jar.header(),
        "content-type": "application/x-www-form-urlencoded",
        "x-auth-return-redirect": "1",
      },
      body: new URLSearchParams({ csrfToken, callbackUrl: "/signin" }),
    });
    expect(response.status).toBe(200);
    jar.take(response);
    expect(jar.cookies.has(sessionCookieName)).toBe(false);
  });
});

describe("security headers", () => {
  for (const path of ["/signin", "/signup", "/api/health"]) {
    it(`GET ${path} cannot be framed`, async () => {
      const response = await fetch(`${platform.url}${path}`);
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("referrer-policy")).toBe("no-referrer");
      expect(response.headers.get("x-powered-by")).toBeNull();
    });
  }
});

describe("request ids", () => {
  it("echoes the caller's x-request-id", async () => {
    const response = await fetch(`${platform.url}/api/health`, {
      headers: { "x-request-id": "trace-abc-123" },
    });
    expect(response.headers.get("x-request-id")).toBe("trace-abc-123");
  });

  it("generates a fresh id when there is none", async () => {
    const [first, second] = await Promise.all([
      fetch(`${platform.url}/signin`),
      fetch(`${platform.url}/signin`),
    ]);
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    expect(first.headers.get("x-request-id")).toMatch(uuid);
    expect(second.headers.get("x-request-id")).toMatch(uuid);
    expect(first.headers.get("x-request-id")).not.toBe(second.headers.get("x-request-id"));
  });

  it("caps a long x-request-id at 100 characters", async () => {
    const response = await fetch(`${platform.url}/api/health`, {
      headers: { "x-request-id": "r".repeat(500) },
    });
    expect(response.headers.get("x-request-id")).toBe("r".repeat(100));
  });
});

describe("GET /", () => {
  it("sends a visitor without a session to /signin", async () => {
    const response = await fetch(`${platform.url}/`, { redirect: "manual" });
    expect([303, 307]).toContain(response.status);
    expect(new URL(response.headers.get("location")!, platform.url).pathname).toBe("/signin");
  });

  it("shows the signed-in user's home", async () => {
    const email = await givenUser("home");
    const { code, jar } = await signInOverHttp(platform.url, email, password);
    expect(code).toBeNull();
    const response = await fetch(`${platform.url}/`, {
      headers: { cookie: jar.header() },
      redirect: "manual",
    });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('data-testid="signed-in-as"');
    expect(html).toContain(email);
  });
});

describe("POST /api/auth/callback/credentials", () => {
  it("signs in with the right password and sets an HttpOnly, SameSite=Lax session cookie", async () => {
    const email = await givenUser("cookie");
    const { code, jar } = await signInOverHttp(platform.url, email, password);
    expect(code).toBeNull();
    const cookie = jar.lastSetCookie(sessionCookieName);
    expect(cookie).toBeDefined();
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; SameSite=Lax/i);
    expect(cookie).toMatch(/; Path=\//i);
    expect(cookie).not.toMatch(/; Secure/i); // plain http on 127.0.0.1

    const session = await fetch(`${platform.url}/api/auth/session`, { headers: { cookie: jar.header() } });
    expect(await session.json()).toMatchObject({ user: { email }, userId: expect.any(String) });
  });

  it("refuses a wrong password and an unknown account with the same code, and sets no session", async () => {
    const email = await givenUser("wrong");
    const wrong = await signInOverHttp(platform.url, email, "not the password");
    const unknown = await signInOverHttp(platform.url, uniqueEmail("nobody"), password);
    expect(wrong.code).toBe("invalid_credentials");
    expect(unknown.code).toBe("invalid_credentials");
    expect(wrong.jar.cookies.has(sessionCookieName)).toBe(false);
    expect(unknown.jar.cookies.has(sessionCookieName)).toBe(false);
  });

  it("records sign-ins and failed attempts on an account in the audit trail, never the password", async () => {
    const email = await givenUser("audited");
    const { id } = await getDb().user.findUniqueOrThrow({ where: { email } });
    const headers = { "user-agent": "audit-test/1.0" };
    expect((await signInOverHttp(platform.url, email, "a wrong guess", new CookieJar(), headers)).code).toBe(
      "invalid_credentials",
    );
    expect((await signInOverHttp(platform.url, email, password, new CookieJar(), headers)).code).toBeNull();
    const nobody = uniqueEmail("nobody-audited");
    await signInOverHttp(platform.url, nobody, password);

    const events = await getDb().auditEvent.findMany({
      where: { targetType: "user", targetId: id, action: { startsWith: "user.sign" } },
      orderBy: { createdAt: "asc" },
    });
    expect(events).toMatchObject([
      {
        action: "user.sign_in_failed",
        actorId: null,
        metadata: { method: "password", reason: "invalid_credentials" },
        ip: "127.0.0.1",
        userAgent: "audit-test/1.0",
      },
      { action: "user.signed_in", actorId: id, metadata: { method: "password" }, ip: "127.0.0.1" },
    ]);
    const everything = JSON.stringify(await getDb().auditEvent.findMany({ where: { targetId: id } }));
    expect(everything).not.toContain("a wrong guess");
    expect(everything).not.toContain(password);
    // An address without an account leaves no trace beyond the rate-limit counters.
    expect(
      JSON.stringify(await getDb().auditEvent.findMany({ where: { action: { startsWith: "user.sign" } } })),
    ).not.toContain(nobody);
  });

  it("refuses input that is not an email address", async () => {
    expect((await signInOverHttp(platform.url, "not-an-email", password)).code).toBe("invalid_input");
  });

  it("refuses the 11th attempt after 10 failures, even with the right password", async () => {
    const email = await givenUser("ratelimit");
    for (let attempt = 1; attempt <= 10; attempt++) {
      expect((await signInOverHttp(platform.url, email, `wrong-${attempt}`)).code).toBe(
        "invalid_credentials",
      );
    }
    const eleventh = await signInOverHttp(platform.url, email, password);
    expect(eleventh.code).toBe("rate_limited");
    expect(eleventh.jar.cookies.has(sessionCookieName)).toBe(false);
  });

  it("cannot be escaped by sending a different X-Forwarded-For with every guess", async () => {
    // Without TRUST_PROXY the header is not believed: every guess counts against the same address.
    const email = await givenUser("spoof");
    for (let attempt = 1; attempt <= 10; attempt++) {
      const guess = await signInOverHttp(platform.url, email, `wrong-${attempt}`, new CookieJar(), {
        "x-forwarded-for": `198.51.100.${attempt}, 203.0.113.${attempt}`,
      });
      expect(guess.code).toBe("invalid_credentials");
    }
    const withRightPassword = await signInOverHttp(platform.url, email, password, new CookieJar(), {
      "x-forwarded-for": "192.0.2.200",
    });
    expect(withRightPassword.code).toBe("rate_limited");
  });

  it("signs out: the session cookie is cleared and the session is gone", async () => {
    const email = await givenUser("signout");
    const { jar } = await signInOverHttp(platform.url, email, password);
    const sessionCookie = jar.header();
    await signOutOverHttp(platform.url, jar);
    expect(jar.cookies.has(sessionCookieName)).toBe(false);
    const session = await fetch(`${platform.url}/api/auth/session`, { headers: { cookie: jar.header() } });
    expect(await session.json()).toBeNull();
    expect(sessionCookie).toContain(sessionCookieName);
  });
});
