// Open or invitation-only sign-up against a real PostgreSQL: on a database of its own (the
// setting is platform-wide, and other files create accounts on the run's database meanwhile).
// Every path that creates an account obeys it (the sign-up form's createUser, GitHub/Google
// sign-in, the CLI; the demo seed and the CLI as the operator's), the first account always can,
// and an invitation is used once: expired, revoked, for another address or raced, it admits nobody.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "@/env";
import { resolveOAuthUser } from "@/lib/auth/oauth-sign-in";
import { getDb } from "@/lib/db/client";
import { seedDemo } from "@/lib/demo/seed-demo";
import { AppError } from "@/lib/errors/app-error";
import { getSignUpMode, setSignUpMode } from "@/lib/settings/sign-up-mode";
import { createUser, invitationRequiredMessage } from "@/lib/users/create-user";
import { createInvitation, listInvitations, revokeInvitation } from "@/lib/users/invitations";
import { getSignUpAccess } from "@/lib/users/sign-up-access";
import {
  createScratchDatabase,
  enterScratchDatabase,
  leaveScratchDatabase,
  type ScratchDatabase,
} from "../helpers/database";
import { uniqueEmail } from "../helpers/mcp";
import { runScript } from "../helpers/run-script";

vi.setConfig({ testTimeout: 120_000 });

const password = "a-long-password";
let database: ScratchDatabase;
let adminId: string;

/** The token of an invitation link. */
const tokenOf = (url: string) => new URL(url).searchParams.get("invitation") ?? "";

beforeAll(async () => {
  database = await createScratchDatabase();
  await enterScratchDatabase(database);
});

afterAll(async () => {
  await leaveScratchDatabase(database);
});

describe("the sign-up setting", () => {
  it("is open until an administrator changes it, and the change is audited", async () => {
    expect(await getSignUpMode()).toBe("OPEN");
    // The first account can always be created: nobody could invite it.
    await getDb().platformSettings.update({ where: { id: 1 }, data: { signUpMode: "INVITATION_ONLY" } });
    expect(await getSignUpAccess(undefined)).toEqual({ open: true, firstAccount: true });
    const admin = await createUser({ email: uniqueEmail("first"), password });
    expect(admin.role).toBe("ADMIN");
    adminId = admin.id;
    await getDb().platformSettings.update({ where: { id: 1 }, data: { signUpMode: "OPEN" } });

    expect(await setSignUpMode("INVITATION_ONLY", { actorId: adminId, ip: "203.0.113.4" })).toBe(
      "INVITATION_ONLY",
    );
    const event = await getDb().auditEvent.findFirstOrThrow({
      where: { action: "settings.sign_up_changed" },
    });
    expect(event).toMatchObject({ actorId: adminId, ip: "203.0.113.4", targetType: "settings" });
    expect(event.metadata).toEqual({ from: "OPEN", to: "INVITATION_ONLY" });
    // Saving the same value again records nothing.
    await setSignUpMode("INVITATION_ONLY", { actorId: adminId });
    expect(await getDb().auditEvent.count({ where: { action: "settings.sign_up_changed" } })).toBe(1);
    await expect(setSignUpMode("CLOSED" as never, { actorId: adminId })).rejects.toThrow(
      "Choose open sign-up or sign-up by invitation only.",
    );
  });

  it("refuses a visitor without an invitation, creating nothing", async () => {
    const email = uniqueEmail("uninvited");
    expect(await getSignUpAccess(undefined)).toEqual({ open: false, reason: "invitation_required" });
    const refusal = await createUser({ email, password }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(AppError);
    expect(refusal).toMatchObject({ code: "forbidden", message: invitationRequiredMessage });
    expect(await getDb().user.count({ where: { email } })).toBe(0);
  });

  it("admits a visitor with an invitation once, recording who used it", async () => {
    const invitation = await createInvitation({ email: "", expiresInDays: 7 }, { actorId: adminId });
    const token = tokenOf(invitation.url);
    expect(invitation.url).toMatch(/\/signup\?invitation=tgi_/);
    // Only the token's SHA-256 is stored.
    const stored = await getDb().invitation.findUniqueOrThrow({ where: { id: invitation.id } });
    expect(stored.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(await getSignUpAccess(token)).toMatchObject({ open: true, invitation: { token, email: null } });

    const email = uniqueEmail("invited");
    const user = await createUser({ email, password, invitation: token });
    expect(user.role).toBe("USER");
    const used = await getDb().invitation.findUniqueOrThrow({ where: { id: invitation.id } });
    expect(used.usedById).toBe(user.id);
    expect(used.usedAt).not.toBeNull();
    const created = await getDb().auditEvent.findFirstOrThrow({
      where: { action: "user.created", targetId: user.id },
    });
    expect(created.metadata).toMatchObject({ invitationId: invitation.id });
    const [listed] = await listInvitations();
    expect(listed).toMatchObject({ id: invitation.id, state: "used", usedByEmail: email });

    // A second use is refused, and the page says the link cannot be used.
    expect(await getSignUpAccess(token)).toEqual({ open: false, reason: "invitation_unusable" });
    await expect(
      createUser({ email: uniqueEmail("second-use"), password, invitation: token }),
    ).rejects.toThrow("This invitation link cannot be used");
  });

  it("lets exactly one of two simultaneous sign-ups with one invitation through", async () => {
    const token = tokenOf(
      (await createInvitation({ email: "", expiresInDays: 1 }, { actorId: adminId })).url,
    );
    const emails = [uniqueEmail("race-a"), uniqueEmail("race-b")];
    const outcomes = await Promise.allSettled(
      emails.map((email) => createUser({ email, password, invitation: token })),
    );
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
    const rejected = outcomes.find((outcome) => outcome.status === "rejected");
    expect(rejected?.reason).toMatchObject({ code: "forbidden" });
    expect(await getDb().user.count({ where: { email: { in: emails } } })).toBe(1);
  });

  it("refuses an expired, a revoked, or another address's invitation, and keeps one a failed sign-up did not use", async () => {
    const eightDaysAgo = new Date(Date.now() - 8 * 86_400_000);
    const expired = await createInvitation(
      { email: "", expiresInDays: 7 },
      { actorId: adminId },
      eightDaysAgo,
    );
    expect(await getSignUpAccess(tokenOf(expired.url))).toEqual({
      open: false,
      reason: "invitation_unusable",
    });
    await expect(
      createUser({ email: uniqueEmail("late"), password, invitation: tokenOf(expired.url) }),
    ).rejects.toMatchObject({ code: "forbidden" });
    expect((await listInvitations()).find((entry) => entry.id === expired.id)?.state).toBe("expired");

    const revoked = await createInvitation({ email: "", expiresInDays: 7 }, { actorId: adminId });
    await revokeInvitation(revoked.id, { actorId: adminId });
    await expect(
      createUser({ email: uniqueEmail("revoked"), password, invitation: tokenOf(revoked.url) }),
    ).rejects.toMatchObject({ code: "forbidden" });
    await expect(revokeInvitation(revoked.id, { actorId: adminId })).rejects.toMatchObject({
      code: "conflict",
    });
    expect(
      await getDb().auditEvent.count({ where: { action: "invitation.revoked", targetId: revoked.id } }),
    ).toBe(1);

    const named = uniqueEmail("named");
    const forNamed = await createInvitation(
      { email: ` ${named.toUpperCase()} `, expiresInDays: 7 },
      { actorId: adminId },
    );
    expect(forNamed.email).toBe(named);
    const token = tokenOf(forNamed.url);
    expect(await getSignUpAccess(token)).toMatchObject({ open: true, invitation: { email: named } });
    await expect(
      createUser({ email: uniqueEmail("someone-else"), password, invitation: token }),
    ).rejects.toMatchObject({ code: "forbidden" });
    // An address that already has an account fails on its own, and the invitation stays unused.
    const existing = await createUser({ email: uniqueEmail("existing"), password, createdBy: "operator" });
    const open = await createInvitation({ email: "", expiresInDays: 7 }, { actorId: adminId });
    await expect(
      createUser({ email: existing.email, password, invitation: tokenOf(open.url) }),
    ).rejects.toMatchObject({
      code: "conflict",
    });
    expect((await getDb().invitation.findUniqueOrThrow({ where: { id: open.id } })).usedAt).toBeNull();
    expect((await createUser({ email: named, password, invitation: token })).email).toBe(named);
  });

  it("validates a new invitation's address and lifetime by name", async () => {
    await expect(createInvitation({ email: "not-an-address", expiresInDays: 7 }, {})).rejects.toThrow(
      "Enter a valid email address",
    );
    await expect(createInvitation({ email: "", expiresInDays: 2 as never }, {})).rejects.toThrow(
      "Choose 1, 7 or 30 days.",
    );
  });

  it("lets GitHub or Google sign-in create an account only with an invitation for the verified address", async () => {
    const stranger = uniqueEmail("oauth-stranger");
    await expect(resolveOAuthUser("github", "5550001", stranger, "Stranger")).rejects.toMatchObject({
      code: "forbidden",
    });
    expect(await getDb().user.count({ where: { email: stranger } })).toBe(0);
    expect(await getDb().identity.count({ where: { providerAccountId: "5550001" } })).toBe(0);

    // An invitation for anyone is a link to follow; only one made out to the address admits a provider sign-in.
    await createInvitation({ email: "", expiresInDays: 7 }, { actorId: adminId });
    const invitee = uniqueEmail("oauth-invitee");
    const invitation = await createInvitation({ email: invitee, expiresInDays: 7 }, { actorId: adminId });
    const userId = await resolveOAuthUser("github", "5550002", invitee.toUpperCase(), "Invitee");
    const user = await getDb().user.findUniqueOrThrow({ where: { id: userId! } });
    expect(user).toMatchObject({ email: invitee, passwordHash: null });
    expect((await getDb().invitation.findUniqueOrThrow({ where: { id: invitation.id } })).usedById).toBe(
      userId,
    );
  });

  it("lets an address in ADMIN_EMAILS, the demo seed and the CLI create accounts without one", async () => {
    const listed = uniqueEmail("listed");
    vi.stubEnv("ADMIN_EMAILS", listed);
    resetEnvCache();
    expect((await createUser({ email: listed, password })).role).toBe("ADMIN");
    vi.stubEnv("ADMIN_EMAILS", "");
    resetEnvCache();

    const demoEmail = uniqueEmail("demo");
    await seedDemo(demoEmail);
    expect(await getDb().user.count({ where: { email: demoEmail, isDemo: true } })).toBe(1);

    const email = uniqueEmail("cli");
    const result = await runScript(
      "scripts/cli.ts",
      ["users", "create", "--email", email, "--password", password],
      {
        DATABASE_URL: database.url,
      },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Created user ${email}`);
    expect(await getSignUpMode()).toBe("INVITATION_ONLY");
  });

  it("lets anyone sign up again once it is open", async () => {
    await setSignUpMode("OPEN", { actorId: adminId });
    expect(await getSignUpAccess(undefined)).toEqual({ open: true, firstAccount: false });
    expect((await createUser({ email: uniqueEmail("open"), password })).role).toBe("USER");
    expect(await resolveOAuthUser("google", "5550003", uniqueEmail("google"), null)).toEqual(
      expect.any(String),
    );
  });
});
