// Creating accounts. Who becomes an admin: the first account created while no admin exists,
// any address listed in ADMIN_EMAILS, and accounts created with `admin: true` (the CLI).
// Demo accounts never do. Who may create one (lib/settings/sign-up-mode.ts): while sign-up is by
// invitation only, a visitor needs an invitation, except for the first account (there is nobody
// to invite them yet), addresses the operator listed in ADMIN_EMAILS, and the address a usable
// invitation to an organization is made out to (accepted afterwards, on its page); an operator
// (the CLI, the demo seed: people with the database itself) always may.
import { getEnv } from "@/env";
import { type AuditContext, recordAuditEvent } from "@/lib/audit/record-audit-event";
import { hashPassword } from "@/lib/auth/password";
import { getDb } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client.ts";
import { AppError } from "@/lib/errors/app-error";
import { getSignUpMode } from "@/lib/settings/sign-up-mode";
import { hashToken } from "@/lib/tokens/api-tokens";
import { claimInvitation } from "./invitations";

export type CreateUserInput = {
  email: string;
  password?: string;
  name?: string;
  admin?: boolean;
  demo?: boolean;
  /** A visitor signing up (the default) obeys the sign-up setting; an operator need not. */
  createdBy?: "visitor" | "operator";
  /** The token of the invitation link the visitor signs up with. */
  invitation?: string;
  /** The address was verified by a sign-in provider, so an invitation made out to it admits them. */
  verifiedEmail?: boolean;
};

export const invitationRequiredMessage =
  "Sign-up on this Toolgate is by invitation only. Ask its administrator for an invitation link.";
const invitationUnusableMessage =
  "This invitation link cannot be used: it has expired, was already used, was withdrawn or is for another email address. Ask the administrator for a new one.";

// Serialises "is there an admin yet?" so that two first sign-ups cannot both become admin.
const firstAdminLock = 7_201_001;
// Sign-ups queue on that lock and for a pooled connection; Prisma's defaults (2 s to get a
// connection, 5 s in all) failed some of 20 simultaneous sign-ups on a busy machine.
const transactionLimits = { maxWait: 10_000, timeout: 15_000 };

/**
 * The id of a usable invitation to an organization that this token names and that is made out to
 * this address: it admits the sign-up, and stays unused until the person accepts it.
 */
async function orgInvitationFor(
  tx: Prisma.TransactionClient,
  token: string | undefined,
  email: string,
  now = new Date(),
): Promise<string | null> {
  if (!token?.startsWith("tgo_") || token.length > 200) return null;
  const invitation = await tx.orgInvitation.findFirst({
    where: { tokenHash: hashToken(token), email, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
    select: { id: true },
  });
  return invitation?.id ?? null;
}

/** Whether the next account created becomes the administrator, as the first one does. */
export async function nextAccountAdministers(): Promise<boolean> {
  return (await getDb().user.count({ where: { role: "ADMIN" } })) === 0;
}

export async function createUser(input: CreateUserInput, context: AuditContext = {}) {
  const email = input.email.trim().toLowerCase();
  const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
  const db = getDb();
  try {
    const user = await db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${firstAdminLock})`;
      const listedAdmin = getEnv().ADMIN_EMAILS.includes(email);
      const noAdminYet = (await tx.user.count({ where: { role: "ADMIN" } })) === 0;
      const admin = !input.demo && (input.admin === true || listedAdmin || noAdminYet);
      const invitationId =
        input.invitation || input.verifiedEmail
          ? await claimInvitation(tx, { token: input.invitation, email, verifiedEmail: input.verifiedEmail })
          : null;
      const orgInvitationId =
        invitationId === null ? await orgInvitationFor(tx, input.invitation, email) : null;
      const mayCreate =
        input.createdBy === "operator" ||
        noAdminYet ||
        listedAdmin ||
        invitationId !== null ||
        orgInvitationId !== null ||
        (await getSignUpMode(tx)) === "OPEN";
      if (!mayCreate)
        throw new AppError(
          "forbidden",
          input.invitation ? invitationUnusableMessage : invitationRequiredMessage,
        );
      const defaultPlan = await tx.plan.findFirst({ where: { isDefault: true }, select: { id: true } });
      const created = await tx.user.create({
        data: {
          email,
          name: input.name ?? null,
          passwordHash,
          role: admin ? "ADMIN" : "USER",
          isDemo: input.demo ?? false,
          planId: defaultPlan?.id ?? null,
        },
        select: { id: true, email: true, name: true, role: true, isDemo: true, createdAt: true },
      });
      if (invitationId)
        await tx.invitation.update({ where: { id: invitationId }, data: { usedById: created.id } });
      return { ...created, invitationId, orgInvitationId };
    }, transactionLimits);
    await recordAuditEvent(
      { ...context, actorId: context.actorId ?? user.id },
      "user.created",
      { type: "user", id: user.id },
      {
        email: user.email,
        role: user.role,
        ...(user.invitationId && { invitationId: user.invitationId }),
        ...(user.orgInvitationId && { orgInvitationId: user.orgInvitationId }),
      },
    );
    const { invitationId: _invitation, orgInvitationId: _orgInvitation, ...created } = user;
    return created;
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AppError("conflict", "An account with this email address already exists. Sign in instead.");
    }
    throw error;
  }
}
