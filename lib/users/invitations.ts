// Invitations to create an account while sign-up is by invitation only: 256 random bits shown once
// as a link (and emailed to its address when SMTP is configured), stored as SHA-256, single use,
// expiring, optionally for one email address. An administrator creates, lists and revokes them;
// createUser claims one inside its transaction.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { getAppUrl } from "@/env";
import { type AuditContext, recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client.ts";
import { AppError } from "@/lib/errors/app-error";
import { hashToken } from "@/lib/tokens/api-tokens";
import { type InvitationMailOutcome, sendInvitationMail } from "./invitation-mail";
import { emailSchema } from "./schemas";

const invitationPrefix = "tgi_";
const dayMs = 86_400_000;

/** The lifetimes an administrator can choose, in days. */
export const invitationLifetimes = [1, 7, 30] as const;

export const createInvitationSchema = z.object({
  email: z
    .string()
    .trim()
    .transform((value) => value || undefined)
    .pipe(emailSchema.optional()),
  expiresInDays: z.union(
    invitationLifetimes.map((days) => z.literal(days)),
    { error: "Choose 1, 7 or 30 days." },
  ),
});
export type CreateInvitationInput = z.input<typeof createInvitationSchema>;

export type InvitationState = "pending" | "used" | "expired" | "revoked";

export type InvitationSummary = {
  id: string;
  email: string | null;
  createdAt: Date;
  expiresAt: Date;
  state: InvitationState;
  /** When it was used or revoked. */
  endedAt: Date | null;
  usedByEmail: string | null;
};

/** The link a person opens to sign up with an invitation. */
export function invitationUrl(token: string): string {
  return `${getAppUrl()}/signup?invitation=${encodeURIComponent(token)}`;
}

export async function createInvitation(
  input: CreateInvitationInput,
  context: AuditContext,
  now = new Date(),
) {
  const { email, expiresInDays } = createInvitationSchema.parse(input);
  const token = `${invitationPrefix}${randomBytes(32).toString("base64url")}`;
  const invitation = await getDb().invitation.create({
    data: {
      tokenHash: hashToken(token),
      email: email ?? null,
      createdById: context.actorId ?? null,
      expiresAt: new Date(now.getTime() + expiresInDays * dayMs),
    },
    select: { id: true, email: true, expiresAt: true },
  });
  const url = invitationUrl(token);
  const mail: InvitationMailOutcome = invitation.email
    ? await sendInvitationMail({ ...invitation, email: invitation.email, url, inviterId: context.actorId })
    : { status: "no_address" };
  await recordAuditEvent(
    context,
    "invitation.created",
    { type: "invitation", id: invitation.id },
    {
      email: invitation.email,
      expiresAt: invitation.expiresAt.toISOString(),
      mail: mail.status === "failed" ? { status: mail.status, reason: mail.reason } : { status: mail.status },
    },
  );
  return { ...invitation, url, mail };
}

function stateOf(
  row: { usedAt: Date | null; revokedAt: Date | null; expiresAt: Date },
  now: Date,
): InvitationState {
  if (row.usedAt) return "used";
  if (row.revokedAt) return "revoked";
  return row.expiresAt <= now ? "expired" : "pending";
}

/** The newest invitations first (at most `limit`), with what became of each. */
export async function listInvitations(now = new Date(), limit = 100): Promise<InvitationSummary[]> {
  const rows = await getDb().invitation.findMany({
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    select: {
      id: true,
      email: true,
      createdAt: true,
      expiresAt: true,
      usedAt: true,
      revokedAt: true,
      usedBy: { select: { email: true } },
    },
  });
  return rows.map((row) => ({
    id: row.id,
    email: row.email,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    state: stateOf(row, now),
    endedAt: row.usedAt ?? row.revokedAt,
    usedByEmail: row.usedBy?.email ?? null,
  }));
}

/** Withdraws an invitation that has not been used; its link then opens nothing. */
export async function revokeInvitation(id: string, context: AuditContext, now = new Date()): Promise<void> {
  const { count } = await getDb().invitation.updateMany({
    where: { id, usedAt: null, revokedAt: null },
    data: { revokedAt: now },
  });
  if (count === 0) {
    const exists = await getDb().invitation.findUnique({ where: { id }, select: { id: true } });
    throw exists
      ? new AppError("conflict", "This invitation was already used or revoked.")
      : new AppError("not_found", "No such invitation.");
  }
  await recordAuditEvent(context, "invitation.revoked", { type: "invitation", id });
}

const usable = (now: Date) => ({ usedAt: null, revokedAt: null, expiresAt: { gt: now } });

/** The invitation a link's token opens, if it can still be used, for the sign-up page. */
export async function findUsableInvitation(
  token: string,
  now = new Date(),
): Promise<{ id: string; email: string | null; expiresAt: Date } | null> {
  if (!token.startsWith(invitationPrefix) || token.length > 200) return null;
  return getDb().invitation.findFirst({
    where: { tokenHash: hashToken(token), ...usable(now) },
    select: { id: true, email: true, expiresAt: true },
  });
}

/**
 * Uses up an invitation for an account with this address, inside the transaction that creates it
 * (so a failed creation gives it back): the one a token names, or, for an address a sign-in
 * provider verified, the oldest usable one made out to that address. The conditional update is the
 * claim: of two sign-ups with one invitation, exactly one updates it. Returns its id, or null.
 */
export async function claimInvitation(
  tx: Prisma.TransactionClient,
  claim: { token?: string; email: string; verifiedEmail?: boolean },
  now = new Date(),
): Promise<string | null> {
  const forAddress = { OR: [{ email: null }, { email: claim.email }] };
  const candidate = claim.token
    ? await tx.invitation.findFirst({
        where: { tokenHash: hashToken(claim.token), ...usable(now), ...forAddress },
        select: { id: true },
      })
    : claim.verifiedEmail
      ? await tx.invitation.findFirst({
          where: { email: claim.email, ...usable(now) },
          orderBy: { createdAt: "asc" },
          select: { id: true },
        })
      : null;
  if (!candidate) return null;
  const { count } = await tx.invitation.updateMany({
    where: { id: candidate.id, ...usable(now) },
    data: { usedAt: now },
  });
  return count === 1 ? candidate.id : null;
}
