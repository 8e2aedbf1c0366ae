// Organizations and their members. Whoever creates an organization is its first owner; an
// organization always keeps at least one owner. Every change is in the audit trail with the
// organization's id, so its admins can read it there.
import { z } from "zod";
import { type AuditContext, recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client.ts";
import { storableString } from "@/lib/db/storable-text";
import { AppError } from "@/lib/errors/app-error";
import { mayAssignRole, type OrgRole, orgRoles, roleWords } from "./roles";
import { type OrgWorkspace, requirePermission, type Workspace } from "./workspace";

export const orgNameSchema = storableString()
  .trim()
  .min(1, "Give the organization a name.")
  .max(100, "Use at most 100 characters.");
export const createOrgSchema = z.object({ name: orgNameSchema });
export const orgRoleSchema = z.enum(orgRoles, { error: "Choose a role: OWNER, ADMIN, MEMBER or VIEWER." });

function inOrg(workspace: Workspace): OrgWorkspace {
  if (workspace.kind !== "org") throw new AppError("bad_request", "Choose an organization first.");
  return workspace;
}

function orgContext(workspace: OrgWorkspace, context: AuditContext): AuditContext {
  return { ...context, actorId: context.actorId ?? workspace.userId, orgId: workspace.orgId };
}

export async function createOrg(userId: string, name: string, context: AuditContext = {}) {
  const orgName = orgNameSchema.parse(name);
  const org = await getDb().organization.create({
    data: { name: orgName, memberships: { create: { userId, role: "OWNER" } } },
    select: { id: true, name: true, createdAt: true },
  });
  await recordAuditEvent(
    { ...context, actorId: context.actorId ?? userId, orgId: org.id },
    "org.created",
    { type: "org", id: org.id },
    { name: orgName },
  );
  return org;
}

/** The organizations a person belongs to, with their role in each, oldest first. */
export async function listOrgsOf(userId: string) {
  const memberships = await getDb().membership.findMany({
    where: { userId },
    orderBy: { createdAt: "asc" },
    select: { role: true, org: { select: { id: true, name: true } } },
  });
  return memberships.map(({ role, org }) => ({ id: org.id, name: org.name, role }));
}

export async function getOrg(workspace: Workspace) {
  const { orgId, role } = inOrg(workspace);
  const org = await getDb().organization.findUniqueOrThrow({
    where: { id: orgId },
    select: {
      id: true,
      name: true,
      createdAt: true,
      ssoRequired: true,
      ssoAutoJoinDomain: true,
      memberHourlyLimit: true,
      memberDailyLimit: true,
      memberMonthlyLimit: true,
      plan: { select: { name: true } },
      _count: { select: { memberships: true } },
    },
  });
  const { _count, plan, ...rest } = org;
  return { ...rest, role, planName: plan?.name ?? null, memberCount: _count.memberships };
}

export async function renameOrg(workspace: Workspace, name: string, context: AuditContext = {}) {
  const org = inOrg(workspace);
  requirePermission(org, "manage_org");
  const newName = orgNameSchema.parse(name);
  await getDb().organization.update({ where: { id: org.orgId }, data: { name: newName } });
  await recordAuditEvent(
    orgContext(org, context),
    "org.renamed",
    { type: "org", id: org.orgId },
    {
      from: org.orgName,
      to: newName,
    },
  );
}

/** Deletes the organization with its connections, servers, tools, calls and invitations. */
export async function deleteOrg(workspace: Workspace, context: AuditContext = {}) {
  const org = inOrg(workspace);
  requirePermission(org, "manage_org");
  await getDb().organization.delete({ where: { id: org.orgId } });
  await recordAuditEvent(
    orgContext(org, context),
    "org.deleted",
    { type: "org", id: org.orgId },
    {
      name: org.orgName,
    },
  );
}

export async function listMembers(workspace: Workspace) {
  const { orgId } = inOrg(workspace);
  const members = await getDb().membership.findMany({
    where: { orgId },
    orderBy: { createdAt: "asc" },
    select: {
      role: true,
      createdAt: true,
      hourlyLimit: true,
      dailyLimit: true,
      monthlyLimit: true,
      user: { select: { id: true, email: true, name: true } },
    },
  });
  return members.map(({ user, ...membership }) => ({
    ...membership,
    userId: user.id,
    email: user.email,
    name: user.name,
  }));
}

async function findMembership(tx: Prisma.TransactionClient, orgId: string, userId: string) {
  const membership = await tx.membership.findUnique({
    where: { orgId_userId: { orgId, userId } },
    select: { role: true, user: { select: { email: true } } },
  });
  if (!membership) throw new AppError("not_found", "No such member in this organization.");
  return membership;
}

/**
 * Refuses a change that would leave the organization without an owner. The owners' rows are locked
 * so that two owners leaving at once cannot each count the other as staying.
 */
async function keepAnOwner(tx: Prisma.TransactionClient, orgId: string, leavingOwner: string) {
  const owners = await tx.$queryRaw<{ userId: string }[]>`
    SELECT "userId" FROM "Membership" WHERE "orgId" = ${orgId} AND "role" = 'OWNER' FOR UPDATE`;
  if (!owners.some((owner) => owner.userId !== leavingOwner))
    throw new AppError(
      "conflict",
      "An organization needs at least one owner: make someone else an owner first, or delete the organization.",
    );
}

function refuseRoleChange(actor: OrgWorkspace, role: OrgRole): never {
  throw new AppError(
    "forbidden",
    `You are ${actor.role === "ADMIN" ? "an admin" : `a ${roleWords[actor.role].toLowerCase()}`} in ${actor.orgName}: only owners can give or take the ${roleWords[role].toLowerCase()} role.`,
  );
}

export async function changeMemberRole(
  workspace: Workspace,
  memberId: string,
  role: OrgRole,
  context: AuditContext = {},
) {
  const actor = inOrg(workspace);
  requirePermission(actor, "manage_members");
  const newRole = orgRoleSchema.parse(role);
  const from = await getDb().$transaction(async (tx) => {
    const member = await findMembership(tx, actor.orgId, memberId);
    if (!mayAssignRole(actor.role, member.role)) refuseRoleChange(actor, member.role);
    if (!mayAssignRole(actor.role, newRole)) refuseRoleChange(actor, newRole);
    if (member.role === "OWNER" && newRole !== "OWNER") await keepAnOwner(tx, actor.orgId, memberId);
    await tx.membership.update({
      where: { orgId_userId: { orgId: actor.orgId, userId: memberId } },
      data: { role: newRole },
    });
    return member;
  });
  await recordAuditEvent(
    orgContext(actor, context),
    "org.member_role_changed",
    { type: "user", id: memberId },
    {
      email: from.user.email,
      from: from.role,
      to: newRole,
    },
  );
}

/**
 * Removes a member (or, with their own id, leaves): their own URLs for the organization's servers
 * stop working with the membership. Their calls stay in the organization's history.
 */
export async function removeMember(workspace: Workspace, memberId: string, context: AuditContext = {}) {
  const actor = inOrg(workspace);
  const leaving = memberId === actor.userId;
  if (!leaving) requirePermission(actor, "manage_members");
  const removed = await getDb().$transaction(async (tx) => {
    const member = await findMembership(tx, actor.orgId, memberId);
    if (!leaving && !mayAssignRole(actor.role, member.role)) refuseRoleChange(actor, member.role);
    if (member.role === "OWNER") await keepAnOwner(tx, actor.orgId, memberId);
    await tx.serverAccess.deleteMany({ where: { userId: memberId, server: { orgId: actor.orgId } } });
    await tx.membership.delete({ where: { orgId_userId: { orgId: actor.orgId, userId: memberId } } });
    return member;
  });
  await recordAuditEvent(
    orgContext(actor, context),
    leaving ? "org.member_left" : "org.member_removed",
    { type: "user", id: memberId },
    { email: removed.user.email, role: removed.role },
  );
}

/** Adds a person with a role, inside the transaction that accepts their invitation or auto-join. */
export async function addMembership(
  tx: Prisma.TransactionClient,
  membership: { orgId: string; userId: string; role: OrgRole },
): Promise<boolean> {
  const existing = await tx.membership.findUnique({
    where: { orgId_userId: { orgId: membership.orgId, userId: membership.userId } },
    select: { role: true },
  });
  if (existing) return false;
  await tx.membership.create({ data: membership });
  return true;
}
