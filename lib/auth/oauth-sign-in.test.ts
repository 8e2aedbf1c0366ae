// Signing in with GitHub or Google: an identity the platform knows opens its account; a new one
// is linked to the account with the provider's (verified) address, which the audit trail records,
// or opens a new account; without an address there is nothing to link.
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { disconnectDb, getDb } from "@/lib/db/client";
import { createUser } from "@/lib/users/create-user";
import { resolveOAuthUser } from "./oauth-sign-in";

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
});
