// Who may create an account: anyone ("open", the default) or only people with an invitation. An
// administrator changes it on /admin/settings; lib/users/create-user.ts enforces it.
import { z } from "zod";
import { type AuditContext, recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import type { Prisma, SignUpMode } from "@/lib/db/generated/client.ts";

export type { SignUpMode };

export const signUpModeSchema = z.enum(["OPEN", "INVITATION_ONLY"], {
  error: "Choose open sign-up or sign-up by invitation only.",
});

const settingsId = 1;

/** The sign-up setting; open if its row is missing (a database migrated by hand, say). */
export async function getSignUpMode(
  db: Pick<Prisma.TransactionClient, "platformSettings"> = getDb(),
): Promise<SignUpMode> {
  const row = await db.platformSettings.findUnique({
    where: { id: settingsId },
    select: { signUpMode: true },
  });
  return row?.signUpMode ?? "OPEN";
}

/** Changes the sign-up setting, recorded in the audit trail when it actually changes. */
export async function setSignUpMode(mode: SignUpMode, context: AuditContext): Promise<SignUpMode> {
  const next = signUpModeSchema.parse(mode);
  const previous = await getSignUpMode();
  if (previous === next) return next;
  await getDb().platformSettings.upsert({
    where: { id: settingsId },
    create: { id: settingsId, signUpMode: next },
    update: { signUpMode: next },
  });
  await recordAuditEvent(
    context,
    "settings.sign_up_changed",
    { type: "settings", id: "sign_up" },
    {
      from: previous,
      to: next,
    },
  );
  return next;
}
