// Account creation against a real PostgreSQL. Admin rules depend on whether an admin exists, so
// each group gets an empty database of its own rather than the run's shared one.
import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "@/env";
import { verifyPassword } from "@/lib/auth/password";
import { disconnectDb, getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { createUser } from "@/lib/users/create-user";
import { createScratchDatabase, type ScratchDatabase } from "../helpers/database";
import { withDefaultPlanLock } from "../helpers/default-plan-lock";

const uniqueEmail = (label: string) => `${label}-${randomBytes(4).toString("hex")}@example.com`;

async function useDatabase(url: string): Promise<void> {
  await disconnectDb();
  vi.stubEnv("DATABASE_URL", url);
  resetEnvCache();
}

afterEach(() => {
  vi.stubEnv("ADMIN_EMAILS", "");
  resetEnvCache();
});

afterAll(async () => {
  await disconnectDb();
});

describe("createUser on an empty database", () => {
  let database: ScratchDatabase;
  beforeAll(async () => {
    database = await createScratchDatabase();
    await useDatabase(database.url);
  });
  afterAll(async () => {
    await disconnectDb();
    await database.drop();
    vi.unstubAllEnvs();
    resetEnvCache();
  });

  it("makes exactly one admin out of 20 concurrent first sign-ups", async () => {
    const emails = Array.from({ length: 20 }, (_, index) => uniqueEmail(`first-${index}`));
    const users = await Promise.all(
      emails.map((email) => createUser({ email, password: "a-long-password" })),
    );
    expect(users.filter((user) => user.role === "ADMIN")).toHaveLength(1);
    expect(await getDb().user.count({ where: { role: "ADMIN" } })).toBe(1);
    expect(await getDb().user.count()).toBe(20);
    // Later accounts are ordinary users.
    expect((await createUser({ email: uniqueEmail("later"), password: "a-long-password" })).role).toBe(
      "USER",
    );
  });
});

describe("createUser admin rules", () => {
  let database: ScratchDatabase;
  beforeAll(async () => {
    database = await createScratchDatabase();
    await useDatabase(database.url);
  });
  afterAll(async () => {
    await disconnectDb();
    await database.drop();
    vi.unstubAllEnvs();
    resetEnvCache();
  });

  it("never makes a demo account admin, even while no admin exists", async () => {
    const demo = await createUser({ email: uniqueEmail("demo"), demo: true, admin: true });
    expect(demo).toMatchObject({ role: "USER", isDemo: true });
    expect(await getDb().user.count({ where: { role: "ADMIN" } })).toBe(0);
    // The demo account did not use up "first account becomes admin".
    expect((await createUser({ email: uniqueEmail("first"), password: "a-long-password" })).role).toBe(
      "ADMIN",
    );
  });

  it("makes an ordinary account a user once an admin exists", async () => {
    expect((await createUser({ email: uniqueEmail("plain"), password: "a-long-password" })).role).toBe(
      "USER",
    );
  });

  it("makes addresses listed in ADMIN_EMAILS admins, whatever their case", async () => {
    const listed = uniqueEmail("listed");
    vi.stubEnv("ADMIN_EMAILS", `someone-else@example.com, ${listed.toUpperCase()}`);
    resetEnvCache();
    expect((await createUser({ email: listed, password: "a-long-password" })).role).toBe("ADMIN");
    expect((await createUser({ email: uniqueEmail("unlisted"), password: "a-long-password" })).role).toBe(
      "USER",
    );
  });

  it("makes an account created with admin: true an admin", async () => {
    expect(
      (await createUser({ email: uniqueEmail("cli-admin"), password: "a-long-password", admin: true })).role,
    ).toBe("ADMIN");
  });

  it("gives new accounts the default plan", async () => {
    // Under the lock of the tests that change the default plan, so it cannot flip meanwhile.
    await withDefaultPlanLock(async () => {
      const user = await createUser({ email: uniqueEmail("plan"), password: "a-long-password" });
      const stored = await getDb().user.findUniqueOrThrow({
        where: { id: user.id },
        include: { plan: true },
      });
      expect(stored.plan?.isDefault).toBe(true);
    });
  });
});

describe("createUser on the run's database", () => {
  beforeAll(async () => {
    await disconnectDb();
    expect(process.env.DATABASE_URL).toMatch(/toolgate_test_/);
  });

  it("normalises the email address", async () => {
    const local = `Mixed.Case-${randomBytes(4).toString("hex")}`;
    const user = await createUser({ email: `  ${local}@Example.COM `, password: "a-long-password" });
    expect(user.email).toBe(`${local.toLowerCase()}@example.com`);
    expect(
      await getDb().user.findUnique({ where: { email: `${local.toLowerCase()}@example.com` } }),
    ).not.toBeNull();
  });

  it("refuses a second account for the same address (in any case) with a conflict", async () => {
    const email = uniqueEmail("dup");
    await createUser({ email, password: "a-long-password" });
    const error = await createUser({ email: email.toUpperCase(), password: "another-password" }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "conflict", status: 409 });
    expect(error.message).toMatch(/already exists/);
    expect(await getDb().user.count({ where: { email } })).toBe(1);
  });

  it("stores only a memory-hard hash of the password, and no trace of it in the audit trail", async () => {
    const password = `plain-${randomBytes(8).toString("hex")}`;
    const user = await createUser({ email: uniqueEmail("hash"), password });
    const stored = await getDb().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.passwordHash).toMatch(/^scrypt\$/);
    expect(stored.passwordHash).not.toContain(password);
    expect(await verifyPassword(password, stored.passwordHash!)).toBe(true);
    const audit = await getDb().auditEvent.findMany({ where: { targetId: user.id } });
    expect(audit.map((event) => event.action)).toEqual(["user.created"]);
    expect(JSON.stringify(audit)).not.toContain(password);
  });
});
