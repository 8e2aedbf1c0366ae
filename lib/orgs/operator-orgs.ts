// What a platform operator does to organizations from the command line (scripts/cli.ts): they hold
// the database itself, so these act without a member's workspace, and are audited without an actor.
import { type AuditContext, recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { addMembership, listMembers } from "./manage-orgs";
import { type LimitSettings, limitSettingsSchema } from "./org-limits";
import type { OrgRole } from "./roles";
import type { OrgWorkspace } from "./workspace";

async function getOrgOrThrow(orgId: string) {
  const org = await getDb().organization.findUnique({
    where: { id: orgId },
    select: { id: true, name: true },
  });
  if (!org) throw new AppError("not_found", `No organization has the id ${orgId}.`);
  return org;
}

/** Every organization with its member count, or only those `userId` belongs to, with their role. */
export async function listOrgsForOperator(userId?: string) {
  const orgs = await getDb().organization.findMany({
    where: userId ? { memberships: { some: { userId } } } : {},
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      name: true,
      _count: { select: { memberships: true } },
      memberships: { where: { userId: userId ?? "" }, select: { role: true } },
    },
  });
  return orgs.map((org) => ({
    id: org.id,
    name: org.name,
    memberCount: org._count.memberships,
    role: org.memberships[0]?.role ?? null,
  }));
}

/** The members of any organization, as its owners see them. */
export async function listMembersForOperator(orgId: string) {
  const org = await getOrgOrThrow(orgId);
  const asOwner: OrgWorkspace = { kind: "org", userId: "", orgId, orgName: org.name, role: "OWNER" };
  return { org, members: await listMembers(asOwner) };
}

/** Adds someone to an organization directly (no invitation); refused if they are a member already. */
export async function addMemberAsOperator(
  orgId: string,
  userId: string,
  role: OrgRole,
  context: AuditContext,
): Promise<{ orgName: string }> {
  const org = await getOrgOrThrow(orgId);
  const joined = await getDb().$transaction((tx) => addMembership(tx, { orgId, userId, role }));
  if (!joined) throw new AppError("conflict", `That person is already a member of ${org.name}.`);
  await recordAuditEvent(
    { ...context, actorId: null, orgId },
    "org.member_added",
    { type: "user", id: userId },
    { role, by: "operator" },
  );
  return { orgName: org.name };
}

/** One member's own limits inside the organization, set by the operator. */
export async function setMemberLimitsAsOperator(
  orgId: string,
  userId: string,
  limits: LimitSettings,
  context: AuditContext,
) {
  const parsed = limitSettingsSchema.parse(limits);
  const data = {
    ...(parsed.hour !== undefined && { hourlyLimit: parsed.hour }),
    ...(parsed.day !== undefined && { dailyLimit: parsed.day }),
    ...(parsed.month !== undefined && { monthlyLimit: parsed.month }),
  };
  const { count } = await getDb().membership.updateMany({ where: { orgId, userId }, data });
  if (count === 0) throw new AppError("not_found", "That person is not a member of this organization.");
  await recordAuditEvent(
    { ...context, actorId: null, orgId },
    "org.member_limits_changed",
    { type: "user", id: userId },
    { ...parsed, by: "operator" },
  );
}

/** A plan by its name, for `limits set --org ID --plan NAME`. */
export async function findPlanIdByName(name: string): Promise<string> {
  const plan = await getDb().plan.findUnique({ where: { name }, select: { id: true } });
  if (!plan) throw new AppError("not_found", `No plan is named "${name}".`);
  return plan.id;
}
