// A person changes their own password: the current one is checked (with the sign-in's per-account
// limit against guessing through this form), the new one is hashed, and every session signed in
// before the change is refused from then on, the one that made it included.
import { z } from "zod";
import { type AuditContext, recordAuditEvent } from "@/lib/audit/record-audit-event";
import { hashPassword } from "@/lib/auth/password";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { confirmOwnPassword } from "./confirm-own-password";
import { passwordSchema } from "./schemas";

export const changePasswordSchema = z
  .object({
    currentPassword: z.string().min(1, "Enter your current password.").max(200),
    newPassword: passwordSchema,
  })
  .refine((input) => input.newPassword !== input.currentPassword, {
    path: ["newPassword"],
    message: "Choose a password that differs from the current one.",
  });
export type ChangePasswordInput = z.input<typeof changePasswordSchema>;

export async function changePassword(
  userId: string,
  input: ChangePasswordInput,
  context: AuditContext = {},
): Promise<void> {
  const { currentPassword, newPassword } = changePasswordSchema.parse(input);
  const db = getDb();
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { email: true, passwordHash: true },
  });
  if (!user) throw new AppError("not_found", "No such account.");
  if (!user.passwordHash)
    throw new AppError(
      "conflict",
      "This account signs in with GitHub or Google and has no password to change.",
    );
  await confirmOwnPassword(userId, user.passwordHash, currentPassword, {
    field: "currentPassword",
    message: "That is not your current password.",
  });
  await db.user.update({
    where: { id: userId },
    data: { passwordHash: await hashPassword(newPassword), sessionsValidFrom: new Date() },
  });
  await recordAuditEvent({ actorId: userId, ...context }, "user.password_changed", {
    type: "user",
    id: userId,
  });
}
