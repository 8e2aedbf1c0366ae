// Invitations to join an organization with a role: made out to one email address, emailed when
// SMTP is configured (else the link is shown to the inviter to pass on), single use, expiring.
// Only the account with that address can accept one; the conditional update that marks it
// accepted is the claim, in the transaction that adds the membership.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { getAppUrl } from "@/env";
import { type AuditContext, recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { hashToken } from "@/lib/tokens/api-tokens";
import { type InvitationMailOutcome, sendInvitationMail } from "@/lib/users/invitation-mail";
import { emailSchema } from "@/lib/users/schemas";
import { addMembership, orgRoleSchema } from "./manage-orgs";
import { mayAssignRole, roleWords } from "./roles";
import { requirePermission, type Workspace } from "./workspace";

const orgInvitationPrefix = "tgo_";
const dayMs = 86_400_000;

export const createOrgInvitationSchema = z.object({
  email: emailSchema,
  role: orgRoleSchema.default("MEMBER"),
  expiresInDays: z
    .union([z.literal(1), z.literal(7), z.literal(30)], { error: "Choose 1, 7 or 30 days." })
    .default(7),
});
export type CreateOrgInvitationInput = z.input<typeof createOrgInvitationSchema>;

export type OrgInvitationState = "pending" | "accepted" | "expired" | "revoked";

/** The page a person opens to accept an invitation (signing in or up first if needed). */
export function orgInvitationUrl(token: string): string {
  return `${getAppUrl()}/invitations/${encodeURIComponent(token)}`;
}

export async function createOrgInvitation(
  workspace: Workspace,
  input: CreateOrgInvitationInput,
  context: AuditContext = {},
  now = new Date(),
): Promise<{
  id: string;
  email: string;
  role: string;
  expiresAt: Date;
  url: string;
  mail: InvitationMailOutcome;
}> {
  requirePermission(workspace, "manage_members");
  if (workspace.kind !== "org") throw new AppError("bad_request", "Choose an organization first.");
  const { email, role, expiresInDays } = createOrgInvitationSchema.parse(input);
  if (!mayAssignRole(workspace.role, role))
    throw new AppError("forbidden", `Only owners can invite someone as ${roleWords[role].toLowerCase()}.`);
  const alreadyMember = await getDb().membership.count({
    where: { orgId: workspace.orgId, user: { email } },
  });
  if (alreadyMember) throw new AppError("conflict", `${email} is already a member of ${workspace.orgName}.`);
  const token = `${orgInvitationPrefix}${randomBytes(32).toString("base64url")}`;
  const invitation = await getDb().orgInvitation.create({
    data: {
      orgId: workspace.orgId,
      email,
      role,
      tokenHash: hashToken(token),
      createdById: workspace.userId,
      expiresAt: new Date(now.getTime() + expiresInDays * dayMs),
    },
    select: { id: true, email: true, role: true, expiresAt: true },
  });
  const url = orgInvitationUrl(token);
  const mail = await sendInvitationMail({
    ...invitation,
    url,
    inviterId: workspace.userId,
    to: { orgName: workspace.orgName, role: roleWords[role] },
  });
  await recordAuditEvent(
    { ...context, actorId: context.actorId ?? workspace.userId, orgId: workspace.orgId },
    "org.invitation_created",
    { type: "org_invitation", id: invitation.id },
    {
      email,
      role,
      expiresAt: invitation.expiresAt.toISOString(),
      mail: mail.status === "failed" ? { status: mail.status, reason: mail.reason } : { status: mail.status },
    },
  );
  return { ...invitation, url, mail };
}

function stateOf(
  row: { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date },
  now: Date,
): OrgInvitationState {
  if (row.acceptedAt) return "accepted";
  if (row.revokedAt) return "revoked";
  return row.expiresAt <= now ? "expired" : "pending";
}

export async function listOrgInvitations(workspace: Workspace, now = new Date(), limit = 100) {
  requirePermission(workspace, "manage_members");
  const rows = await getDb().orgInvitation.findMany({
    where: { orgId: workspace.orgId ?? "" },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    select: {
      id: true,
      email: true,
      role: true,
      createdAt: true,
      expiresAt: true,
      acceptedAt: true,
      revokedAt: true,
    },
  });
  return rows.map((row) => ({ ...row, state: stateOf(row, now) }));
}

export async function revokeOrgInvitation(
  workspace: Workspace,
  id: string,
  context: AuditContext = {},
  now = new Date(),
) {
  requirePermission(workspace, "manage_members");
  const orgId = workspace.orgId ?? "";
  const { count } = await getDb().orgInvitation.updateMany({
    where: { id, orgId, acceptedAt: null, revokedAt: null },
    data: { revokedAt: now },
  });
  if (count === 0) {
    const exists = await getDb().orgInvitation.count({ where: { id, orgId } });
    throw exists
      ? new AppError("conflict", "This invitation was already accepted or revoked.")
      : new AppError("not_found", "No such invitation.");
  }
  await recordAuditEvent(
    { ...context, actorId: context.actorId ?? workspace.userId, orgId },
    "org.invitation_revoked",
    { type: "org_invitation", id },
  );
}

const usable = (now: Date) => ({ acceptedAt: null, revokedAt: null, expiresAt: { gt: now } });

/** What a link's token invites to, while it can still be accepted (for the invitation page). */
export async function findUsableOrgInvitation(token: string, now = new Date()) {
  if (!token.startsWith(orgInvitationPrefix) || token.length > 200) return null;
  return getDb().orgInvitation.findFirst({
    where: { tokenHash: hashToken(token), ...usable(now) },
    select: {
      id: true,
      email: true,
      role: true,
      expiresAt: true,
      org: { select: { id: true, name: true } },
      createdBy: { select: { name: true, email: true } },
    },
  });
}

/**
 * Accepts an invitation for the signed-in account `userId`, whose address must be the one it was
 * made out to. Returns the organization joined.
 */
export async function acceptOrgInvitation(
  userId: string,
  token: string,
  context: AuditContext = {},
  now = new Date(),
) {
  const invitation = await findUsableOrgInvitation(token, now);
  if (!invitation)
    throw new AppError(
      "not_found",
      "This invitation link is not valid: it may have expired, been used or been revoked.",
    );
  const user = await getDb().user.findUniqueOrThrow({ where: { id: userId }, select: { email: true } });
  if (user.email !== invitation.email)
    throw new AppError(
      "forbidden",
      `This invitation is for ${invitation.email}, and you are signed in as ${user.email}. Sign in with ${invitation.email} to accept it.`,
    );
  const joined = await getDb().$transaction(async (tx) => {
    const { count } = await tx.orgInvitation.updateMany({
      where: { id: invitation.id, ...usable(now) },
      data: { acceptedAt: now, acceptedById: userId },
    });
    if (count !== 1) return null;
    return addMembership(tx, { orgId: invitation.org.id, userId, role: invitation.role });
  });
  if (joined === null)
    throw new AppError("conflict", "This invitation was accepted or revoked a moment ago.");
  await recordAuditEvent(
    { ...context, actorId: userId, orgId: invitation.org.id },
    "org.invitation_accepted",
    { type: "org_invitation", id: invitation.id },
    { email: invitation.email, role: invitation.role, joined },
  );
  return { orgId: invitation.org.id, orgName: invitation.org.name, role: invitation.role };
}
