// An organization's single sign-on rules: only owners change them, the auto-join domain is a
// normalised domain name that one organization at most may claim, requiring single sign-on needs
// the platform's OpenID Connect provider, and a verified address at the domain joins as a member.
import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { setEnv } from "@/env";
import { disconnectDb, getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { createUser } from "@/lib/users/create-user";
import { addMembership, createOrg } from "./manage-orgs";
import type { OrgRole } from "./roles";
import { autoJoinByDomain, findSsoRequirement, normalizeDomain, setOrgSso } from "./sso-settings";
import { personalWorkspace, resolveWorkspace } from "./workspace";

const unique = () => randomBytes(4).toString("hex");
const oidc = {
  AUTH_OIDC_ISSUER: "http://127.0.0.1:1/issuer",
  AUTH_OIDC_ID: "toolgate",
  AUTH_OIDC_SECRET: "s3cret",
};
const noOidc = { AUTH_OIDC_ISSUER: "", AUTH_OIDC_ID: "", AUTH_OIDC_SECRET: "" };

beforeAll(() => setEnv(noOidc));
afterEach(() => setEnv(noOidc));
afterAll(async () => {
  await disconnectDb();
});

async function newUser(label: string, domain = "example.com", admin = false) {
  return createUser({ email: `${label}-${unique()}@${domain}`, createdBy: "operator", admin });
}

/**
 * An organization with an owner (a platform administrator, who may claim any domain for it), and a
 * workspace in it for a person of each role asked for.
 */
async function orgWith(...roles: OrgRole[]) {
  const owner = await newUser("owner", "example.com", true);
  const org = await createOrg(owner.id, `SSO ${unique()}`);
  const others: Record<string, Awaited<ReturnType<typeof resolveWorkspace>>> = {};
  for (const role of roles) {
    const person = await newUser(role.toLowerCase());
    await getDb().$transaction((tx) => addMembership(tx, { orgId: org.id, userId: person.id, role }));
    others[role] = await resolveWorkspace(person.id, org.id);
  }
  return { org, owner, ownerWorkspace: await resolveWorkspace(owner.id, org.id), others };
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("setOrgSso", () => {
  it("lets an owner claim a domain, normalised, and records the change in the organization's trail", async () => {
    const { org, owner, ownerWorkspace } = await orgWith();
    const domain = `acme-${unique()}.example`;
    const saved = await setOrgSso(ownerWorkspace, { autoJoinDomain: `  @${domain.toUpperCase()}. ` });
    expect(saved).toEqual({ ssoRequired: false, autoJoinDomain: domain, oidcConfigured: false });
    const stored = await getDb().organization.findUniqueOrThrow({ where: { id: org.id } });
    expect(stored.ssoAutoJoinDomain).toBe(domain);
    const events = await getDb().auditEvent.findMany({
      where: { action: "org.sso_changed", targetId: org.id },
    });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorId: owner.id,
      orgId: org.id,
      targetType: "org",
      metadata: {
        from: { ssoRequired: false, autoJoinDomain: null },
        to: { ssoRequired: false, autoJoinDomain: domain },
      },
    });
    // Empty clears it; a field left out stays as it is.
    expect(await setOrgSso(ownerWorkspace, { autoJoinDomain: "" })).toMatchObject({ autoJoinDomain: null });
    await setOrgSso(ownerWorkspace, { autoJoinDomain: domain });
    expect(await setOrgSso(ownerWorkspace, {})).toMatchObject({ autoJoinDomain: domain });
    expect(await setOrgSso(ownerWorkspace, { autoJoinDomain: null })).toMatchObject({ autoJoinDomain: null });
  });

  it("refuses admins, members, viewers and a personal workspace, changing nothing", async () => {
    setEnv(oidc);
    const { org, others, owner } = await orgWith("ADMIN", "MEMBER", "VIEWER");
    for (const role of ["ADMIN", "MEMBER", "VIEWER"] as const) {
      const error = await refusal(
        setOrgSso(others[role]!, { ssoRequired: true, autoJoinDomain: "acme.example" }),
      );
      expect(error.code).toBe("forbidden");
      expect(error.message).toContain("only its owners can change the organization itself");
    }
    expect((await refusal(setOrgSso(personalWorkspace(owner.id), { ssoRequired: true }))).code).toBe(
      "bad_request",
    );
    const stored = await getDb().organization.findUniqueOrThrow({ where: { id: org.id } });
    expect(stored).toMatchObject({ ssoRequired: false, ssoAutoJoinDomain: null });
    expect(await getDb().auditEvent.count({ where: { action: "org.sso_changed", targetId: org.id } })).toBe(
      0,
    );
  });

  it.each([
    "acme",
    "localhost",
    "127.0.0.1",
    "alice@acme.example",
    "acme.example/path",
    "https://acme.example",
    "-acme.example",
    "acme-.example",
    "acme..example",
    "acme.123",
    `${"a".repeat(64)}.example`,
    "acme example.com",
  ])("refuses %j as a domain, by the field", async (value) => {
    const { ownerWorkspace } = await orgWith();
    const error = await setOrgSso(ownerWorkspace, { autoJoinDomain: value }).then(
      () => null,
      (caught: { issues?: { path: unknown[]; message: string }[] }) => caught,
    );
    expect(error?.issues?.[0]).toMatchObject({
      path: ["autoJoinDomain"],
      message: expect.stringContaining("Enter a domain name"),
    });
  });

  it("stores an internationalised domain in its ASCII form", () => {
    expect(normalizeDomain("Bücher.Example")).toBe("xn--bcher-kva.example");
    expect(normalizeDomain("@Sub.Acme.Example.")).toBe("sub.acme.example");
  });

  it("lets an owner who is not a platform administrator claim only their own address's domain, once single sign-on vouched for it", async () => {
    const domain = `own-${unique()}.example`;
    const owner = await newUser("owner", domain);
    const org = await createOrg(owner.id, `Own ${unique()}`);
    const workspace = await resolveWorkspace(owner.id, org.id);
    // A password account's address is not vouched for by anyone.
    const unvouched = await refusal(setOrgSso(workspace, { autoJoinDomain: domain }));
    expect(unvouched).toMatchObject({ code: "forbidden", status: 403, details: { field: "autoJoinDomain" } });
    expect(unvouched.message).toContain(
      `sign in with single sign-on once using your own address at ${domain}`,
    );
    await getDb().identity.create({
      data: { userId: owner.id, provider: "oidc", providerAccountId: `sub-${unique()}` },
    });
    await expect(setOrgSso(workspace, { autoJoinDomain: domain })).resolves.toMatchObject({
      autoJoinDomain: domain,
    });
    // Another domain (a public mail domain, someone else's company) stays out of reach.
    const other = await refusal(setOrgSso(workspace, { autoJoinDomain: "gmail.com" }));
    expect(other).toMatchObject({ code: "forbidden" });
    expect(await getDb().organization.findUniqueOrThrow({ where: { id: org.id } })).toMatchObject({
      ssoAutoJoinDomain: domain,
    });
  });

  it("lets one organization only claim a domain, naming the conflict, until it lets go", async () => {
    const first = await orgWith();
    const second = await orgWith();
    const domain = `taken-${unique()}.example`;
    await setOrgSso(first.ownerWorkspace, { autoJoinDomain: domain });
    const error = await refusal(setOrgSso(second.ownerWorkspace, { autoJoinDomain: domain.toUpperCase() }));
    expect(error).toMatchObject({ code: "conflict", status: 409, details: { field: "autoJoinDomain" } });
    expect(error.message).toContain(`Another organization has already claimed ${domain}`);
    // Claiming it again is no conflict with oneself.
    await expect(setOrgSso(first.ownerWorkspace, { autoJoinDomain: domain })).resolves.toMatchObject({
      autoJoinDomain: domain,
    });
    await setOrgSso(first.ownerWorkspace, { autoJoinDomain: null });
    await expect(setOrgSso(second.ownerWorkspace, { autoJoinDomain: domain })).resolves.toMatchObject({
      autoJoinDomain: domain,
    });
  });

  it("refuses to require single sign-on while the platform has no OpenID Connect provider", async () => {
    const { org, ownerWorkspace } = await orgWith();
    const error = await refusal(setOrgSso(ownerWorkspace, { ssoRequired: true }));
    expect(error).toMatchObject({ code: "conflict", details: { field: "ssoRequired" } });
    expect(error.message).toContain("Single sign-on is not set up on this Toolgate");
    expect(await getDb().organization.findUniqueOrThrow({ where: { id: org.id } })).toMatchObject({
      ssoRequired: false,
    });
    // Turning it off never needs the provider.
    await expect(setOrgSso(ownerWorkspace, { ssoRequired: false })).resolves.toMatchObject({
      ssoRequired: false,
    });

    setEnv(oidc);
    await expect(setOrgSso(ownerWorkspace, { ssoRequired: true })).resolves.toEqual({
      ssoRequired: true,
      autoJoinDomain: null,
      oidcConfigured: true,
    });
  });
});

describe("findSsoRequirement", () => {
  it("names the organization that requires single sign-on of a member, and none of a non-member", async () => {
    setEnv(oidc);
    const { org, ownerWorkspace, others } = await orgWith("VIEWER");
    const outsider = await newUser("outsider");
    const viewer = others.VIEWER!.userId;
    expect(await findSsoRequirement(viewer)).toBeNull();
    await setOrgSso(ownerWorkspace, { ssoRequired: true });
    expect(await findSsoRequirement(viewer)).toEqual({ orgId: org.id, orgName: org.name });
    expect(await findSsoRequirement(outsider.id)).toBeNull();
  });
});

describe("autoJoinByDomain", () => {
  it("adds a person whose verified address is at the claimed domain as a member, once, audited", async () => {
    const { org, ownerWorkspace, others } = await orgWith("ADMIN");
    const domain = `join-${unique()}.example`;
    await setOrgSso(ownerWorkspace, { autoJoinDomain: domain });
    const person = await newUser("joiner", domain);

    expect(await autoJoinByDomain(person.id, person.email.toUpperCase())).toEqual({
      orgId: org.id,
      orgName: org.name,
      joined: true,
    });
    expect(await autoJoinByDomain(person.id, person.email)).toMatchObject({ joined: false });
    const membership = await getDb().membership.findUniqueOrThrow({
      where: { orgId_userId: { orgId: org.id, userId: person.id } },
    });
    expect(membership.role).toBe("MEMBER");
    const events = await getDb().auditEvent.findMany({
      where: { action: "org.member_auto_joined", targetId: person.id },
    });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorId: person.id,
      orgId: org.id,
      metadata: { email: person.email, domain, role: "MEMBER" },
    });

    // An existing member keeps their role; an address elsewhere (or at a subdomain) joins nothing.
    const admin = others.ADMIN!.userId;
    expect(await autoJoinByDomain(admin, `someone@${domain}`)).toMatchObject({ joined: false });
    expect(
      (
        await getDb().membership.findUniqueOrThrow({
          where: { orgId_userId: { orgId: org.id, userId: admin } },
        })
      ).role,
    ).toBe("ADMIN");
    const elsewhere = await newUser("elsewhere");
    expect(await autoJoinByDomain(elsewhere.id, `x@mail.${domain}`)).toBeNull();
    expect(await getDb().membership.count({ where: { userId: elsewhere.id } })).toBe(0);
  });
});
