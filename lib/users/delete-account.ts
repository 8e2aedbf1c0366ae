// A person deletes their own account: after they type its email address (and its password, when
// it has one), everything it owns goes (connections with their credentials, servers, tools, API
// tokens, calls, usage), its MCP URLs are refused at once, and the audit trail keeps a record
// without the address. The last administrator cannot leave the platform without one. What they
// created in an organization stays the organization's (it passes to another owner), and the last
// owner of an organization with other members must hand it over first.
import { z } from "zod";
import { type AuditContext, recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client.ts";
import { AppError } from "@/lib/errors/app-error";
import { confirmOwnPassword } from "./confirm-own-password";

export const deleteAccountSchema = z.object({
  confirmEmail: z.string().trim().toLowerCase().min(1, "Type your email address to confirm."),
  password: z.string().max(200).optional(),
});
export type DeleteAccountInput = z.input<typeof deleteAccountSchema>;

export async function deleteAccount(
  userId: string,
  input: DeleteAccountInput,
  context: AuditContext = {},
): Promise<void> {
  const { confirmEmail, password } = deleteAccountSchema.parse(input);
  const db = getDb();
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { email: true, passwordHash: true, role: true },
  });
  if (!user) throw new AppError("not_found", "No such account.");
  if (confirmEmail !== user.email)
    throw new AppError("validation_failed", "Type this account's email address exactly.", {
      field: "confirmEmail",
    });
  if (user.passwordHash)
    await confirmOwnPassword(userId, user.passwordHash, password, {
      field: "password",
      message: "That is not your password.",
    });
  const emptied = await db.$transaction(async (tx) => {
    // The administrators' rows stay locked until the deletion commits, so two administrators
    // deleting themselves at once cannot leave none.
    const admins = await tx.$queryRaw<
      { id: string }[]
    >`SELECT "id" FROM "User" WHERE "role" = 'ADMIN' FOR UPDATE`;
    if (user.role === "ADMIN" && admins.length === 1)
      throw new AppError(
        "conflict",
        "You are the only administrator. Make someone else an administrator before deleting your account.",
      );
    const orgIds = await handOverOrganizations(tx, userId);
    await tx.user.delete({ where: { id: userId } });
    return orgIds;
  });
  // The trail keeps the deletion (its actor is gone, so it is recorded without one).
  await recordAuditEvent({ ...context, actorId: null }, "user.deleted", { type: "user", id: userId });
  for (const orgId of emptied)
    await recordAuditEvent(
      { ...context, actorId: null, orgId: null },
      "org.deleted",
      { type: "org", id: orgId },
      {
        reason: "its only member deleted their account",
      },
    );
}

/**
 * Before the user goes: their servers and connections in each organization pass to another owner
 * (they would otherwise go with the user's rows), an organization of which they are the only member
 * goes, and being the last owner of one with other members refuses the deletion, naming it.
 * Returns the ids of the organizations deleted.
 */
async function handOverOrganizations(tx: Prisma.TransactionClient, userId: string): Promise<string[]> {
  const memberships = await tx.membership.findMany({
    where: { userId },
    select: { orgId: true, role: true, org: { select: { name: true } } },
  });
  const emptied: string[] = [];
  for (const membership of memberships) {
    // Locks the organization's memberships, so two owners cannot both leave it ownerless at once.
    const others = await tx.$queryRaw<{ userId: string; role: string }[]>`
      SELECT "userId", "role"::text AS "role" FROM "Membership"
      WHERE "orgId" = ${membership.orgId} AND "userId" <> ${userId}
      ORDER BY "createdAt" ASC FOR UPDATE`;
    if (others.length === 0) {
      await tx.organization.delete({ where: { id: membership.orgId } });
      emptied.push(membership.orgId);
      continue;
    }
    const heir = others.find((other) => other.role === "OWNER");
    if (!heir) {
      if (membership.role === "OWNER")
        throw new AppError(
          "conflict",
          `You are the last owner of ${membership.org.name}. Make another member an owner, or delete the organization, before deleting your account.`,
        );
      // Not an owner, yet no owner is left: its admins keep what the user made.
    }
    const heirId =
      heir?.userId ?? others.find((other) => other.role === "ADMIN")?.userId ?? others[0]!.userId;
    const where = { orgId: membership.orgId, userId };
    await tx.connection.updateMany({ where, data: { userId: heirId } });
    await tx.mcpServer.updateMany({ where, data: { userId: heirId } });
  }
  return emptied;
}
