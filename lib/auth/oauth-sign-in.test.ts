// Signing in with GitHub or Google: an identity the platform knows opens its account; a new one
// is linked to the account with the provider's (verified) address, which the audit trail records,
// or opens a new account; without an address there is nothing to link.
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { disconnectDb, getDb } from "@/lib/db/client";
import { createOrg } from "@/lib/orgs/manage-orgs";
import { createUser } from "@/lib/users/create-user";
import { resolveOAuthUser, SsoRequiredError } from "./oauth-sign-in";

afterAll(async () => {
  await disconnectDb();
});

const unique = () => randomBytes(4).toString("hex");

describe("resolveOAuthUser", () => {
  it("links a new identity to the account with that address, once, and records the link", async () => {
    const email = `oauth-link-${unique()}@example.com`;
    const user = await createUser({ email, password: "a-long-password" });
    const providerAccountId = `gh-${unique()}`;
    expect(await resolveOAuthUser("github", providerAccountId, email.toUpperCase(), "Ada")).toBe(user.id);
    expect(await resolveOAuthUser("github", providerAccountId, "changed@example.com")).toBe(user.id);
    const links = await getDb().auditEvent.findMany({
      where: { action: "user.identity_linked", targetId: user.id },
    });
    expect(links).toHaveLength(1);
    expect(links[0]).toMatchObject({
      actorId: user.id,
      targetType: "user",
      metadata: { provider: "github" },
    });
  });

  it("opens a new account for a new address without recording a link, and refuses no address", async () => {
    const email = `oauth-new-${unique()}@example.com`;
    const userId = await resolveOAuthUser("google", `g-${unique()}`, email, "Grace");
    const created = await getDb().user.findUniqueOrThrow({ where: { id: userId! } });
    expect(created).toMatchObject({ email, name: "Grace", passwordHash: null });
    expect(
      await getDb().auditEvent.count({ where: { action: "user.identity_linked", targetId: userId! } }),
    ).toBe(0);
    expect(await resolveOAuthUser("google", `g-${unique()}`, null)).toBeNull();
  });

  it("refuses a member of an organization that requires single sign-on any other provider, linking nothing", async () => {
    const email = `oauth-sso-${unique()}@example.com`;
    const user = await createUser({ email, createdBy: "operator" });
    const org = await createOrg(user.id, "Requires SSO");
    await getDb().organization.update({ where: { id: org.id }, data: { ssoRequired: true } });
    const githubId = `gh-${unique()}`;
    const refused = await resolveOAuthUser("github", githubId, email).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SsoRequiredError);
    expect(refused).toMatchObject({ userId: user.id, orgId: org.id, orgName: "Requires SSO" });
    expect(await getDb().identity.count({ where: { userId: user.id } })).toBe(0);

    // Single sign-on itself opens the account; an identity linked before the rule is refused too.
    expect(await resolveOAuthUser("oidc", `sub-${unique()}`, email)).toBe(user.id);
    await getDb().identity.create({
      data: { userId: user.id, provider: "google", providerAccountId: githubId },
    });
    await expect(resolveOAuthUser("google", githubId, null)).rejects.toBeInstanceOf(SsoRequiredError);
  });
});
