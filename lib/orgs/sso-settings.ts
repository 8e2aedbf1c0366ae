// An organization's single sign-on rules: whether its members must sign in through the platform's
// OpenID Connect provider, and the email domain whose verified addresses join it on such a sign-in.
// Owners set them; the sign-in paths (lib/auth) ask findSsoRequirement and autoJoinByDomain.
import { domainToASCII } from "node:url";
import { z } from "zod";
import { getOidcSettings } from "@/env";
import { type AuditContext, recordAuditEvent } from "@/lib/audit/record-audit-event";
import { oidcProviderId } from "@/lib/auth/provider-ids";
import { getDb } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client.ts";
import { AppError } from "@/lib/errors/app-error";
import { addMembership } from "./manage-orgs";
import { requirePermission, type Workspace } from "./workspace";

const domainLabel = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** A domain name as stored: lowercase, ASCII (internationalised names in their xn-- form). */
export function normalizeDomain(value: string): string {
  const trimmed = value.trim().toLowerCase().replace(/^@/, "").replace(/\.$/, "");
  // domainToASCII would read "acme.example/path" as acme.example: a URL's parts stay, and fail.
  if (/[\s/\\?#:@%]/.test(trimmed)) return trimmed;
  return domainToASCII(trimmed) || trimmed;
}

function isDomainName(domain: string): boolean {
  const labels = domain.split(".");
  const topLevel = labels.at(-1) ?? "";
  return (
    domain.length <= 253 &&
    labels.length >= 2 &&
    labels.every((label) => domainLabel.test(label)) &&
    // A top-level domain is letters (or an internationalised one's xn-- form), never digits: that
    // also keeps IP addresses out.
    /^([a-z]{2,63}|xn--[a-z0-9-]{1,59})$/.test(topLevel)
  );
}

/** "Acme.COM", "@acme.com" and " acme.com " all become "acme.com"; "" (or null) clears it. */
export const autoJoinDomainSchema = z
  .string({ error: "Enter a domain name, like example.com." })
  .max(300, "Enter a domain name, like example.com.")
  .transform(normalizeDomain)
  .refine((domain) => domain === "" || isDomainName(domain), {
    error: "Enter a domain name only, like example.com (no address, path or IP address).",
  })
  .transform((domain) => (domain === "" ? null : domain))
  .nullable();

export const ssoSettingsSchema = z.object({
  ssoRequired: z.boolean({ error: "Say true or false." }).optional(),
  autoJoinDomain: autoJoinDomainSchema.optional(),
});
export type SsoSettingsInput = z.input<typeof ssoSettingsSchema>;

export type OrgSsoSettings = { ssoRequired: boolean; autoJoinDomain: string | null; oidcConfigured: boolean };

function ssoNotConfigured(): AppError {
  return new AppError(
    "conflict",
    "Single sign-on is not set up on this Toolgate yet: its administrator has to configure an OpenID Connect provider (AUTH_OIDC_ISSUER, AUTH_OIDC_ID and AUTH_OIDC_SECRET) before an organization can require it.",
    { field: "ssoRequired" },
  );
}

function domainTaken(domain: string): AppError {
  return new AppError(
    "conflict",
    `Another organization has already claimed ${domain} for auto-join. A domain can belong to one organization only: ask a platform administrator if it should be yours.`,
    { field: "autoJoinDomain" },
  );
}

function domainNotVouched(domain: string): AppError {
  return new AppError(
    "forbidden",
    `To claim ${domain} for auto-join, sign in with single sign-on once using your own address at ${domain}, so that the provider vouches for it, or ask a platform administrator to set it.`,
    { field: "autoJoinDomain" },
  );
}

/**
 * Whether this person may claim `domain` for auto-join: a platform administrator may; anyone else
 * only the domain of their own address, once the single sign-on provider has vouched for it (their
 * account is linked to a single sign-on identity, which needs a verified address). Otherwise an
 * owner could claim a domain they do not hold and pull its people into their organization.
 */
async function mayClaimDomain(userId: string, domain: string): Promise<boolean> {
  const user = await getDb().user.findUnique({
    where: { id: userId },
    select: {
      role: true,
      email: true,
      identities: { where: { provider: oidcProviderId }, select: { id: true } },
    },
  });
  if (!user) return false;
  return user.role === "ADMIN" || (user.identities.length > 0 && user.email.endsWith(`@${domain}`));
}

export async function getOrgSso(workspace: Workspace): Promise<OrgSsoSettings> {
  if (workspace.kind !== "org") throw new AppError("bad_request", "Choose an organization first.");
  const org = await getDb().organization.findUniqueOrThrow({
    where: { id: workspace.orgId },
    select: { ssoRequired: true, ssoAutoJoinDomain: true },
  });
  return {
    ssoRequired: org.ssoRequired,
    autoJoinDomain: org.ssoAutoJoinDomain,
    oidcConfigured: getOidcSettings() !== null,
  };
}

/**
 * Changes the organization's single sign-on rules (owners only). Requiring single sign-on needs
 * the platform's OpenID Connect provider; a domain belongs to one organization at most.
 */
export async function setOrgSso(
  workspace: Workspace,
  input: SsoSettingsInput,
  context: AuditContext = {},
): Promise<OrgSsoSettings> {
  if (workspace.kind !== "org") throw new AppError("bad_request", "Choose an organization first.");
  requirePermission(workspace, "manage_org");
  const changes = ssoSettingsSchema.parse(input);
  if (changes.ssoRequired === true && !getOidcSettings()) throw ssoNotConfigured();
  const db = getDb();
  const before = await db.organization.findUniqueOrThrow({
    where: { id: workspace.orgId },
    select: { ssoRequired: true, ssoAutoJoinDomain: true },
  });
  const domain = changes.autoJoinDomain;
  if (domain && domain !== before.ssoAutoJoinDomain && !(await mayClaimDomain(workspace.userId, domain)))
    throw domainNotVouched(domain);
  if (domain) {
    const holder = await db.organization.findUnique({
      where: { ssoAutoJoinDomain: domain },
      select: { id: true },
    });
    if (holder && holder.id !== workspace.orgId) throw domainTaken(domain);
  }
  const after = await db.organization
    .update({
      where: { id: workspace.orgId },
      data: {
        ...(changes.ssoRequired !== undefined && { ssoRequired: changes.ssoRequired }),
        ...(domain !== undefined && { ssoAutoJoinDomain: domain }),
      },
      select: { ssoRequired: true, ssoAutoJoinDomain: true },
    })
    .catch((error: unknown) => {
      // Claimed by another organization between the check above and this update.
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002" && domain)
        throw domainTaken(domain);
      throw error;
    });
  await recordAuditEvent(
    { ...context, actorId: context.actorId ?? workspace.userId, orgId: workspace.orgId },
    "org.sso_changed",
    { type: "org", id: workspace.orgId },
    {
      from: { ssoRequired: before.ssoRequired, autoJoinDomain: before.ssoAutoJoinDomain },
      to: { ssoRequired: after.ssoRequired, autoJoinDomain: after.ssoAutoJoinDomain },
    },
  );
  return {
    ssoRequired: after.ssoRequired,
    autoJoinDomain: after.ssoAutoJoinDomain,
    oidcConfigured: getOidcSettings() !== null,
  };
}

/**
 * The organization (the one joined first, if several) that makes this person sign in through
 * single sign-on only, or null when none does.
 */
export async function findSsoRequirement(userId: string): Promise<{ orgId: string; orgName: string } | null> {
  const membership = await getDb().membership.findFirst({
    where: { userId, org: { ssoRequired: true } },
    orderBy: { createdAt: "asc" },
    select: { org: { select: { id: true, name: true } } },
  });
  return membership ? { orgId: membership.org.id, orgName: membership.org.name } : null;
}

/** The organization's name, for the sign-in page's refusal, if it requires single sign-on. */
export async function findSsoRequiringOrgName(orgId: string): Promise<string | null> {
  const org = await getDb().organization.findFirst({
    where: { id: orgId, ssoRequired: true },
    select: { name: true },
  });
  return org?.name ?? null;
}

/**
 * On a single sign-on with a verified address: joins the organization that claimed the address's
 * domain, as a member, unless the person already belongs to it. Returns the organization when one
 * claimed the domain, with whether this sign-in added the membership.
 */
export async function autoJoinByDomain(
  userId: string,
  verifiedEmail: string,
  context: AuditContext = {},
): Promise<{ orgId: string; orgName: string; joined: boolean } | null> {
  const at = verifiedEmail.lastIndexOf("@");
  if (at < 0) return null;
  const domain = normalizeDomain(verifiedEmail.slice(at + 1));
  if (!domain) return null;
  const db = getDb();
  const org = await db.organization.findUnique({
    where: { ssoAutoJoinDomain: domain },
    select: { id: true, name: true },
  });
  if (!org) return null;
  const joined = await db
    .$transaction((tx) => addMembership(tx, { orgId: org.id, userId, role: "MEMBER" }))
    .catch((error: unknown) => {
      // Two sign-ins of one person at once: the other one added the membership.
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return false;
      throw error;
    });
  if (joined)
    await recordAuditEvent(
      { ...context, actorId: userId, orgId: org.id },
      "org.member_auto_joined",
      { type: "user", id: userId },
      { email: verifiedEmail.toLowerCase(), domain, role: "MEMBER" },
    );
  return { orgId: org.id, orgName: org.name, joined };
}
