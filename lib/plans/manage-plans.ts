// Plans: named sets of hourly, daily and monthly limits that users are on. Exactly one plan is the
// default (new accounts get it; a user without a plan falls back to it). Every change is audited;
// the MCP endpoints' cached snapshots follow the writes by themselves (lib/servers).
import { type AuditContext, recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client.ts";
import { AppError } from "@/lib/errors/app-error";
import { type PlanInput, type PlanUpdate, planInputSchema, planUpdateSchema } from "./plan-limits";

const planView = {
  id: true,
  name: true,
  hourlyLimit: true,
  dailyLimit: true,
  monthlyLimit: true,
  isDefault: true,
  createdAt: true,
  updatedAt: true,
  _count: { select: { users: true } },
} as const;

type StoredPlan = Prisma.PlanGetPayload<{ select: typeof planView }>;
export type PlanSummary = Omit<StoredPlan, "_count"> & { userCount: number };

const limitFields = ["hourlyLimit", "dailyLimit", "monthlyLimit"] as const;

/** Serialises changes of the default plan, so two admins cannot leave zero or two defaults. */
const defaultPlanLock = 7_201_002;
/** The most users one assignment may move (the form takes emails; the API a list of ids). */
export const maxUsersPerAssignment = 1_000;

// A user without a plan (theirs was deleted before deletion was refused) is on the default plan.
function present(plan: StoredPlan, planlessUsers: number): PlanSummary {
  const { _count, ...rest } = plan;
  return { ...rest, userCount: _count.users + (plan.isDefault ? planlessUsers : 0) };
}

function actorOf(context: AuditContext, fallback?: string): AuditContext {
  return { ...context, actorId: context.actorId ?? fallback ?? null };
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

const nameTaken = (name: string) =>
  new AppError("conflict", `A plan named “${name}” already exists. Choose another name.`, { field: "name" });

/** Every plan with how many users are on it: the default first, then by hourly limit and name. */
export async function listPlans(): Promise<PlanSummary[]> {
  const db = getDb();
  const [plans, planlessUsers] = await Promise.all([
    db.plan.findMany({
      orderBy: [{ isDefault: "desc" }, { hourlyLimit: "asc" }, { name: "asc" }],
      select: planView,
    }),
    db.user.count({ where: { planId: null } }),
  ]);
  return plans.map((plan) => present(plan, planlessUsers));
}

export async function getPlanOrThrow(planId: string): Promise<PlanSummary> {
  const db = getDb();
  const [plan, planlessUsers] = await Promise.all([
    db.plan.findUnique({ where: { id: planId }, select: planView }),
    db.user.count({ where: { planId: null } }),
  ]);
  if (!plan) throw new AppError("not_found", "No such plan.");
  return present(plan, planlessUsers);
}

/** How many users' limits come from this plan: its users and, for the default plan, those without one. */
async function countPlanUsers(planId: string, includePlanless: boolean): Promise<number> {
  return getDb().user.count({
    where: includePlanless ? { OR: [{ planId }, { planId: null }] } : { planId },
  });
}

export async function createPlan(input: PlanInput, context: AuditContext = {}): Promise<PlanSummary> {
  const data = planInputSchema.parse(input);
  try {
    const plan = await getDb().plan.create({ data, select: planView });
    await recordAuditEvent(context, "plan.created", { type: "plan", id: plan.id }, data);
    return present(plan, 0);
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(data.name);
    throw error;
  }
}

/**
 * Renames a plan or changes its limits. New limits apply to all its users from their next call;
 * their per-user overrides still win.
 */
export async function updatePlan(
  planId: string,
  input: PlanUpdate,
  context: AuditContext = {},
): Promise<PlanSummary> {
  const changes = planUpdateSchema.parse(input);
  const db = getDb();
  const existing = await db.plan.findUnique({ where: { id: planId } });
  if (!existing) throw new AppError("not_found", "No such plan.");
  // The plan as it would be, checked whole: limits in order, whichever of them changed.
  planInputSchema.parse({
    name: changes.name ?? existing.name,
    hourlyLimit: changes.hourlyLimit ?? existing.hourlyLimit,
    dailyLimit: changes.dailyLimit ?? existing.dailyLimit,
    monthlyLimit: changes.monthlyLimit ?? existing.monthlyLimit,
  });
  const changed: Record<string, { from: string | number; to: string | number }> = {};
  for (const field of ["name", ...limitFields] as const) {
    const value = changes[field];
    if (value !== undefined && value !== existing[field])
      changed[field] = { from: existing[field], to: value };
  }
  if (Object.keys(changed).length === 0) return getPlanOrThrow(planId);
  let plan: StoredPlan;
  try {
    plan = await db.plan.update({ where: { id: planId }, data: changes, select: planView });
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(changes.name ?? "");
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2025")
      throw new AppError("not_found", "No such plan.");
    throw error;
  }
  const limitsChanged = limitFields.some((field) => field in changed);
  const affectedUsers = limitsChanged ? await countPlanUsers(plan.id, plan.isDefault) : 0;
  await recordAuditEvent(
    context,
    "plan.updated",
    { type: "plan", id: plan.id },
    {
      name: plan.name,
      changes: changed,
      ...(limitsChanged && { affectedUsers }),
    },
  );
  return getPlanOrThrow(plan.id);
}

/** Makes this plan the default one (for new accounts); the previous default stays as a plan. */
export async function setDefaultPlan(planId: string, context: AuditContext = {}): Promise<PlanSummary> {
  const db = getDb();
  const outcome = await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${defaultPlanLock})`;
    const previous = await tx.plan.findFirst({
      where: { isDefault: true },
      select: { id: true, name: true },
    });
    if (previous?.id === planId) return null;
    // Unset first: the partial unique index allows at most one default at any moment.
    await tx.plan.updateMany({ where: { isDefault: true }, data: { isDefault: false } });
    const next = await tx.plan.updateMany({ where: { id: planId }, data: { isDefault: true } });
    if (next.count === 0) throw new AppError("not_found", "No such plan.");
    const plan = await tx.plan.findUniqueOrThrow({ where: { id: planId }, select: { id: true, name: true } });
    return { previous, plan };
  });
  if (!outcome) return getPlanOrThrow(planId);
  await recordAuditEvent(
    context,
    "plan.default_changed",
    { type: "plan", id: outcome.plan.id },
    {
      from: outcome.previous,
      to: outcome.plan,
    },
  );
  return getPlanOrThrow(planId);
}

/** Deletes a plan that no one is on and that is not the default. */
export async function deletePlan(planId: string, context: AuditContext = {}): Promise<void> {
  const deleted = await getDb().$transaction(async (tx) => {
    // Holds off assignments to this plan (their foreign-key check waits for this lock) and
    // a change of default, until the plan is gone or the refusal is made.
    const locked = await tx.$queryRaw<
      { id: string }[]
    >`SELECT "id" FROM "Plan" WHERE "id" = ${planId} FOR UPDATE`;
    if (locked.length === 0) throw new AppError("not_found", "No such plan.");
    const plan = await tx.plan.findUniqueOrThrow({ where: { id: planId } });
    if (plan.isDefault)
      throw new AppError(
        "conflict",
        `“${plan.name}” is the default plan. Make another plan the default before deleting it.`,
      );
    const users = await tx.user.count({ where: { planId } });
    if (users > 0)
      throw new AppError(
        "conflict",
        `${users === 1 ? "1 user is" : `${users} users are`} on “${plan.name}”. Move ${users === 1 ? "them" : "them all"} to another plan before deleting it.`,
      );
    await tx.plan.delete({ where: { id: planId } });
    return plan;
  });
  await recordAuditEvent(
    context,
    "plan.deleted",
    { type: "plan", id: deleted.id },
    {
      name: deleted.name,
      hourlyLimit: deleted.hourlyLimit,
      dailyLimit: deleted.dailyLimit,
      monthlyLimit: deleted.monthlyLimit,
    },
  );
}

export type AssignmentResult = { plan: { id: string; name: string }; changed: number; unchanged: number };

/**
 * Puts these users on a plan. Each user whose plan changes gets an audit event of their own
 * ("user.plan_changed", recorded with the change in one transaction).
 */
export async function assignPlan(
  adminId: string,
  userIds: readonly string[],
  planId: string,
  context: AuditContext = {},
): Promise<AssignmentResult> {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) throw new AppError("validation_failed", "Choose at least one user.");
  if (ids.length > maxUsersPerAssignment)
    throw new AppError("validation_failed", `Assign at most ${maxUsersPerAssignment} users at a time.`);
  const actor = actorOf(context, adminId);
  const result = await getDb().$transaction(
    async (tx) => {
      // A share lock: the plan cannot be deleted until these users are on it.
      const locked = await tx.$queryRaw<
        { id: string; name: string }[]
      >`SELECT "id", "name" FROM "Plan" WHERE "id" = ${planId} FOR SHARE`;
      const plan = locked[0];
      if (!plan) throw new AppError("not_found", "No such plan.");
      const users = await tx.user.findMany({
        where: { id: { in: ids } },
        select: { id: true, planId: true, plan: { select: { name: true } } },
      });
      if (users.length < ids.length)
        throw new AppError("not_found", `${ids.length - users.length} of these users no longer exist.`);
      const moving = users.filter((user) => user.planId !== plan.id);
      if (moving.length > 0) {
        await tx.user.updateMany({ where: { id: { in: moving.map((user) => user.id) } }, data: { planId } });
        await tx.auditEvent.createMany({
          data: moving.map((user) => ({
            actorId: actor.actorId ?? null,
            action: "user.plan_changed",
            targetType: "user",
            targetId: user.id,
            metadata: {
              from: user.planId ? { id: user.planId, name: user.plan?.name ?? null } : null,
              to: { id: plan.id, name: plan.name },
            },
            ip: actor.ip ?? null,
            userAgent: actor.userAgent?.slice(0, 300) ?? null,
          })),
        });
      }
      return { plan, moved: moving.map((user) => user.id) };
    },
    { maxWait: 10_000, timeout: 30_000 },
  );
  return { plan: result.plan, changed: result.moved.length, unchanged: ids.length - result.moved.length };
}

/** assignPlan for the users with these email addresses; refuses all if any address is unknown. */
export async function assignPlanByEmails(
  adminId: string,
  emails: readonly string[],
  planId: string,
  context: AuditContext = {},
): Promise<AssignmentResult> {
  const wanted = [...new Set(emails.map((email) => email.trim().toLowerCase()).filter(Boolean))];
  if (wanted.length === 0)
    throw new AppError("validation_failed", "Enter at least one email address.", { field: "emails" });
  if (wanted.length > maxUsersPerAssignment)
    throw new AppError("validation_failed", `Enter at most ${maxUsersPerAssignment} addresses at a time.`, {
      field: "emails",
    });
  const users = await getDb().user.findMany({
    where: { email: { in: wanted } },
    select: { id: true, email: true },
  });
  const known = new Set(users.map((user) => user.email));
  const unknown = wanted.filter((email) => !known.has(email));
  if (unknown.length > 0) {
    const shown = unknown.slice(0, 5).join(", ");
    const more = unknown.length > 5 ? ` and ${unknown.length - 5} more` : "";
    throw new AppError(
      "validation_failed",
      `No account has the address${unknown.length === 1 ? "" : "es"} ${shown}${more}. Nothing was changed.`,
      { field: "emails", unknown },
    );
  }
  return assignPlan(
    adminId,
    users.map((user) => user.id),
    planId,
    context,
  );
}
