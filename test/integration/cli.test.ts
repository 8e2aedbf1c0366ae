// `npm run cli` as an operator runs it (tsx scripts/cli.ts), against the run's database.
import { createHash, randomBytes } from "node:crypto";
import { afterAll, describe, expect, it, vi } from "vitest";
import { verifyPassword } from "@/lib/auth/password";
import { disconnectDb, getDb } from "@/lib/db/client";
import { getEffectiveLimits } from "@/lib/quota/effective-limits";
import { createUser } from "@/lib/users/create-user";
import { runScript } from "../helpers/run-script";

// Spawns processes: on a busy two-core machine each takes seconds, so tests get room; the
// behaviour's own time limits are asserted separately.
vi.setConfig({ testTimeout: 120_000 });

const cli = (...args: string[]) => runScript("scripts/cli.ts", args);
const uniqueEmail = (label: string) => `cli-${label}-${randomBytes(4).toString("hex")}@example.com`;

afterAll(async () => {
  await disconnectDb();
});

/** A user error: exit 2, one clear line starting "Error:", and no stack trace. */
function expectUserError(result: { code: number | null; stdout: string; stderr: string }, message: RegExp) {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr).toMatch(/^Error: /);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.stderr).not.toMatch(/node_modules|\.ts:\d+/);
}

/** Accounts that a test only needs to exist are created directly, which is much faster. */
async function givenUser(label: string): Promise<string> {
  const email = uniqueEmail(label);
  await createUser({ email, password: "a-long-password" });
  return email;
}

async function createUserWithCli(email: string, ...extra: string[]) {
  const result = await cli("users", "create", "--email", email, "--password", "a-long-password", ...extra);
  expect(result.code, result.stderr).toBe(0);
  return result;
}

describe("cli users create", () => {
  it("creates an admin with --admin and an ordinary user without it", async () => {
    const adminEmail = uniqueEmail("admin");
    const admin = await createUserWithCli(adminEmail, "--admin", "--name", "Ada Admin");
    const stored = await getDb().user.findUniqueOrThrow({ where: { email: adminEmail } });
    expect(admin.stdout.trim()).toBe(`Created admin ${adminEmail} (${stored.id})`);
    expect(stored).toMatchObject({ role: "ADMIN", name: "Ada Admin" });
    expect(await verifyPassword("a-long-password", stored.passwordHash!)).toBe(true);

    // An admin now exists, so the next account is an ordinary user.
    const userEmail = uniqueEmail("user");
    const user = await createUserWithCli(userEmail);
    expect(user.stdout).toMatch(new RegExp(`^Created user ${userEmail} \\(c[a-z0-9]+\\)\\n$`));
    expect((await getDb().user.findUniqueOrThrow({ where: { email: userEmail } })).role).toBe("USER");
  });

  it("normalises the email address", async () => {
    const email = uniqueEmail("case");
    await createUserWithCli(` ${email.toUpperCase()} `);
    expect(await getDb().user.findUnique({ where: { email } })).not.toBeNull();
  });

  it("refuses an address that already has an account", async () => {
    const email = await givenUser("dup");
    expectUserError(
      await cli("users", "create", "--email", email, "--password", "another-password"),
      /already exists/,
    );
    expect(await getDb().user.count({ where: { email } })).toBe(1);
  });

  it("refuses a bad email, a short password and missing flags", async () => {
    const [badEmail, shortPassword, noPassword, noEmail, danglingFlag] = await Promise.all([
      cli("users", "create", "--email", "not-an-email", "--password", "a-long-password"),
      cli("users", "create", "--email", uniqueEmail("short"), "--password", "short"),
      cli("users", "create", "--email", uniqueEmail("nopw")),
      cli("users", "create", "--password", "a-long-password"),
      cli("users", "create", "--password", "a-long-password", "--email"),
    ]);
    expectUserError(badEmail, /--email: Enter a valid email address/);
    expectUserError(shortPassword, /--password: Use at least 8 characters/);
    expectUserError(noPassword, /--password: Enter a password/);
    expectUserError(noEmail, /--email: Enter your email address/);
    expectUserError(danglingFlag, /--email/);
  });
});

describe("cli tokens create", () => {
  it("prints the token on the last line and stores only its SHA-256", async () => {
    const email = await givenUser("token");
    const result = await cli("tokens", "create", "--email", email, "--name", "deploy bot");
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split("\n");
    expect(lines[0]).toBe(`Created API token "deploy bot" for ${email}. It is shown only once:`);
    const token = lines.at(-1)!;
    expect(token).toMatch(/^tgp_[A-Za-z0-9_-]{43}$/);

    const user = await getDb().user.findUniqueOrThrow({ where: { email }, include: { apiTokens: true } });
    expect(user.apiTokens).toHaveLength(1);
    expect(user.apiTokens[0]).toMatchObject({
      name: "deploy bot",
      tokenHash: createHash("sha256").update(token).digest("hex"),
      revokedAt: null,
    });
    // The plain token is nowhere in the database rows the command wrote.
    const audit = await getDb().auditEvent.findMany({ where: { targetId: user.apiTokens[0]!.id } });
    expect(audit.map((event) => event.action)).toEqual(["api_token.created"]);
    expect(JSON.stringify([user, audit])).not.toContain(token);
    expect(JSON.stringify([user, audit])).not.toContain(token.slice(4));
  });

  it("gives every token a different value", async () => {
    const email = await givenUser("tokens");
    const [first, second] = await Promise.all([
      cli("tokens", "create", "--email", email),
      cli("tokens", "create", "--email", email),
    ]);
    expect(first.stdout.trim().split("\n").at(-1)).not.toBe(second.stdout.trim().split("\n").at(-1));
    expect(await getDb().apiToken.count({ where: { user: { email } } })).toBe(2);
  });

  it("refuses an unknown user and a missing email", async () => {
    const [unknown, missing] = await Promise.all([
      cli("tokens", "create", "--email", uniqueEmail("nobody")),
      cli("tokens", "create"),
    ]);
    expectUserError(unknown, /No user has the email address/);
    expectUserError(missing, /--email: Enter your email address/);
  });
});

describe("cli tokens list and revoke", () => {
  it("lists a person's tokens with their expiry, and revokes one by id", async () => {
    const email = await givenUser("token-admin");
    const created = await cli(
      "tokens",
      "create",
      "--email",
      email,
      "--name",
      "nightly",
      "--expires-days",
      "90",
    );
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^Created API token "nightly" for .*, expires \d{4}-\d{2}-\d{2}T/);
    const token = created.stdout.trim().split("\n").at(-1)!;
    const { id } = await getDb().apiToken.findUniqueOrThrow({
      where: { tokenHash: createHash("sha256").update(token).digest("hex") },
    });

    const listed = await cli("tokens", "list", "--email", email);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(
      new RegExp(`^${id}  nightly  created \\S+  never used  expires \\S+$`, "m"),
    );
    expect(listed.stdout).not.toContain(token.slice(4));

    // Another person's email does not reach this token.
    const other = await givenUser("token-other");
    expectUserError(await cli("tokens", "revoke", "--email", other, "--id", id), /No such API token/);
    const revoked = await cli("tokens", "revoke", "--email", email, "--id", id);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect((await getDb().apiToken.findUniqueOrThrow({ where: { id } })).revokedAt).toBeInstanceOf(Date);
    expect((await cli("tokens", "list", "--email", email)).stdout.trim()).toBe(`${email} has no API tokens.`);
  });

  it("refuses a lifetime it does not offer and a revoke without an id", async () => {
    const email = await givenUser("token-flags");
    const [week, noId] = await Promise.all([
      cli("tokens", "create", "--email", email, "--expires-days", "7"),
      cli("tokens", "revoke", "--email", email),
    ]);
    expectUserError(week, /--expires-days: must be 30, 90 or 365/);
    expectUserError(noId, /--id: missing value/);
    expect(await getDb().apiToken.count({ where: { user: { email } } })).toBe(0);
  });
});

describe("cli limits set", () => {
  it("sets overrides, and 'plan' clears one", async () => {
    const email = await givenUser("limits");
    const set = await cli("limits", "set", "--email", email, "--hourly", "7", "--monthly", "0");
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout.trim()).toBe(`Limits for ${email}: hourly 7, monthly 0`);
    const user = await getDb().user.findUniqueOrThrow({ where: { email }, include: { plan: true } });
    expect(user).toMatchObject({ hourlyLimitOverride: 7, dailyLimitOverride: null, monthlyLimitOverride: 0 });
    expect(await getEffectiveLimits(user.id)).toMatchObject({
      hour: 7,
      day: user.plan!.dailyLimit,
      month: 0,
    });

    const cleared = await cli("limits", "set", "--email", email, "--hourly", "plan");
    expect(cleared.code, cleared.stderr).toBe(0);
    expect(cleared.stdout.trim()).toBe(`Limits for ${email}: hourly from plan`);
    const after = await getDb().user.findUniqueOrThrow({ where: { email } });
    expect(after).toMatchObject({ hourlyLimitOverride: null, monthlyLimitOverride: 0 });
    expect((await getEffectiveLimits(user.id)).hour).toBe(user.plan!.hourlyLimit);
  });

  it("refuses numbers that are not whole and non-negative, and changes nothing", async () => {
    const email = await givenUser("badlimits");
    const [negative, negativeEquals, fraction, word, huge] = await Promise.all([
      cli("limits", "set", "--email", email, "--hourly", "-1"),
      cli("limits", "set", "--email", email, "--daily=-1"),
      cli("limits", "set", "--email", email, "--daily", "1.5"),
      cli("limits", "set", "--email", email, "--monthly", "abc"),
      cli("limits", "set", "--email", email, "--monthly", "99999999999"),
    ]);
    expectUserError(negative, /--hourly/);
    expectUserError(negativeEquals, /--daily: must be a whole number >= 0, or "plan"/);
    expectUserError(fraction, /--daily: must be a whole number >= 0, or "plan"/);
    expectUserError(word, /--monthly: must be a whole number >= 0, or "plan"/);
    expectUserError(huge, /--monthly: must be at most 1000000000/);
    expect(await getDb().user.findUniqueOrThrow({ where: { email } })).toMatchObject({
      hourlyLimitOverride: null,
      dailyLimitOverride: null,
      monthlyLimitOverride: null,
    });
  });

  it("refuses an unknown user and a call without any limit", async () => {
    const email = await givenUser("nolimit");
    const [unknown, none] = await Promise.all([
      cli("limits", "set", "--email", uniqueEmail("nobody"), "--hourly", "5"),
      cli("limits", "set", "--email", email),
    ]);
    expectUserError(unknown, /No user has the email address/);
    expectUserError(none, /needs at least one of --hourly, --daily, --monthly/);
  });
});

describe("cli orgs", () => {
  const orgIdOf = (stdout: string) => stdout.trim().split("\n").at(-1)!;

  it("creates an organization owned by an account and prints its id; lists it and its members", async () => {
    const [owner, other] = await Promise.all([givenUser("org-owner"), givenUser("org-other")]);
    const created = await cli("orgs", "create", "--email", owner, "--name", "Acme Ops");
    expect(created.code, created.stderr).toBe(0);
    const orgId = orgIdOf(created.stdout);
    const org = await getDb().organization.findUniqueOrThrow({
      where: { id: orgId },
      include: { memberships: { include: { user: true } } },
    });
    expect(org.name).toBe("Acme Ops");
    expect(org.memberships.map((m) => [m.user.email, m.role])).toEqual([[owner, "OWNER"]]);

    const added = await cli("orgs", "add-member", "--org", orgId, "--email", other, "--role", "viewer");
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout.trim()).toBe(`Added ${other} to Acme Ops as viewer.`);
    const event = await getDb().auditEvent.findFirstOrThrow({ where: { action: "org.member_added", orgId } });
    expect(event).toMatchObject({ actorId: null, targetId: expect.any(String) });
    expectUserError(
      await cli("orgs", "add-member", "--org", orgId, "--email", other, "--role", "ADMIN"),
      /already a member of Acme Ops/,
    );

    const [mine, members] = await Promise.all([
      cli("orgs", "list", "--email", other),
      cli("orgs", "members", "--org", orgId),
    ]);
    expect(mine.stdout.trim()).toBe(`${orgId}  Acme Ops  2 member(s)  viewer`);
    expect(members.stdout).toContain(`${owner}  owner`);
    expect(members.stdout).toContain(`${other}  viewer`);
  });

  it("refuses a bad role, an unknown organization and missing flags", async () => {
    const email = await givenUser("org-bad");
    const [role, org, name] = await Promise.all([
      cli("orgs", "add-member", "--org", "x", "--email", email, "--role", "boss"),
      cli("orgs", "members", "--org", "no-such-org"),
      cli("orgs", "create", "--email", email),
    ]);
    expectUserError(role, /--role: must be OWNER, ADMIN, MEMBER or VIEWER/);
    expectUserError(org, /No organization has the id no-such-org/);
    expectUserError(name, /--name/);
  });

  it("sets an organization's plan and limits, and a member's limits inside them", async () => {
    const [owner, member] = await Promise.all([givenUser("orglim-owner"), givenUser("orglim-member")]);
    const orgId = orgIdOf((await cli("orgs", "create", "--email", owner, "--name", "Limited")).stdout);
    await cli("orgs", "add-member", "--org", orgId, "--email", member, "--role", "MEMBER");
    const plan = await getDb().plan.create({
      data: {
        name: `cli-org-plan-${randomBytes(3).toString("hex")}`,
        hourlyLimit: 50,
        dailyLimit: 500,
        monthlyLimit: 5000,
      },
    });
    const set = await cli("limits", "set", "--org", orgId, "--plan", plan.name, "--hourly", "20");
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout.trim()).toBe(`Limits for organization ${orgId}: plan ${plan.name}, hourly 20`);
    expect(await getDb().organization.findUniqueOrThrow({ where: { id: orgId } })).toMatchObject({
      planId: plan.id,
      hourlyLimitOverride: 20,
      dailyLimitOverride: null,
    });
    const one = await cli("limits", "set", "--org", orgId, "--email", member, "--daily", "3");
    expect(one.code, one.stderr).toBe(0);
    const membership = await getDb().membership.findFirstOrThrow({
      where: { orgId, user: { email: member } },
    });
    expect(membership).toMatchObject({ dailyLimit: 3, hourlyLimit: null });
    const events = await getDb().auditEvent.findMany({ where: { orgId }, select: { action: true } });
    expect(events.map((e) => e.action)).toEqual(
      expect.arrayContaining(["org.plan_changed", "org.member_limits_changed"]),
    );

    const [outsider, noLimit, badPlan] = await Promise.all([
      cli("limits", "set", "--org", orgId, "--email", await givenUser("orglim-out"), "--daily", "3"),
      cli("limits", "set", "--org", orgId),
      cli("limits", "set", "--org", orgId, "--plan", "no-such-plan"),
    ]);
    expectUserError(outsider, /not a member of this organization/);
    expectUserError(noLimit, /needs at least one of --hourly, --daily, --monthly, --plan/);
    expectUserError(badPlan, /No plan is named "no-such-plan"/);
  });
});

describe("cli usage", () => {
  it("refuses an unknown command or option and shows the usage", async () => {
    const [command, option] = await Promise.all([cli("users", "delete"), cli("users", "create", "--force")]);
    expectUserError(command, /Unknown command "users delete"/);
    expect(command.stderr).toContain("Usage: npm run cli");
    expectUserError(option, /--force/);
  });

  it("prints the usage with --help and with no command", async () => {
    const [help, none] = await Promise.all([cli("--help"), cli()]);
    for (const result of [help, none]) {
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("users create --email E --password P");
      expect(result.stdout).toContain("limits set --email E");
      expect(result.stdout).toContain("orgs create --email OWNER --name N");
      expect(result.stdout).toContain("limits set --org ID");
    }
  });
});
