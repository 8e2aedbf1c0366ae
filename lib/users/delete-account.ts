// A person deletes their own account: after they type its email address (and its password, when
// it has one), everything it owns goes (connections with their credentials, servers, tools, API
// tokens, calls, usage), its MCP URLs are refused at once, and the audit trail keeps a record
// without the address. The last administrator cannot leave the platform without one.
import { z } from "zod";
import { type AuditContext, recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
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
  await db.$transaction(async (tx) => {
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
    await tx.user.delete({ where: { id: userId } });
  });
  // The trail keeps the deletion (its actor is gone, so it is recorded without one).
  await recordAuditEvent({ ...context, actorId: null }, "user.deleted", { type: "user", id: userId });
}
