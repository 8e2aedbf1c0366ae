// The email that carries an invitation link: who invited the person, to which Toolgate, the link
// and when it expires. Sending is best effort: the invitation exists whatever happens here, and
// the outcome (never the link) goes back to the inviter and into the audit trail.
import { formatDate } from "@/components/format-date";
import { getAppUrl } from "@/env";
import { getDb } from "@/lib/db/client";
import { isMailConfigured, MailError, sendMail } from "@/lib/mail/send-mail";

export type InvitationMailOutcome =
  | { status: "not_configured" }
  | { status: "no_address" }
  | { status: "sent"; to: string }
  | { status: "failed"; to: string; reason: string };

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

async function describeInviter(inviterId: string | null | undefined): Promise<string> {
  if (!inviterId) return "An administrator";
  const inviter = await getDb().user.findUnique({
    where: { id: inviterId },
    select: { name: true, email: true },
  });
  if (!inviter) return "An administrator";
  return inviter.name ? `${inviter.name} (${inviter.email})` : inviter.email;
}

/** An invitation to an organization, which the mail names instead of the platform. */
export type InvitedTo = { orgName: string; role: string };

export function composeInvitationMail(invitation: {
  inviter: string;
  url: string;
  expiresAt: Date;
  to?: InvitedTo;
}) {
  const appUrl = getAppUrl();
  const expires = `${formatDate(invitation.expiresAt)} (UTC)`;
  const { to } = invitation;
  const what = to
    ? `to join ${to.orgName} as ${to.role.toLowerCase()} on Toolgate at`
    : "to create an account on Toolgate at";
  const text = [
    `${invitation.inviter} invited you ${what} ${appUrl}.`,
    "",
    to
      ? "Open this link to accept (sign in or sign up with this email address):"
      : "Open this link to sign up:",
    invitation.url,
    "",
    `The link works once and expires on ${expires}. If you did not expect this invitation, ignore this email.`,
  ].join("\n");
  const html = [
    `<p>${escapeHtml(invitation.inviter)} invited you ${escapeHtml(what)} <a href="${escapeHtml(appUrl)}">${escapeHtml(appUrl)}</a>.</p>`,
    `<p><a href="${escapeHtml(invitation.url)}">${to ? "Accept the invitation" : "Sign up with your invitation"}</a></p>`,
    `<p>Or copy this link into your browser: ${escapeHtml(invitation.url)}</p>`,
    `<p>The link works once and expires on ${escapeHtml(expires)}. If you did not expect this invitation, ignore this email.</p>`,
  ].join("\n");
  const subject = to ? `You are invited to join ${to.orgName} on Toolgate` : "You are invited to Toolgate";
  return { subject, text, html };
}

/** Emails the invitation when SMTP is configured; never throws for a mail failure. */
export async function sendInvitationMail(invitation: {
  email: string;
  url: string;
  expiresAt: Date;
  inviterId?: string | null;
  to?: InvitedTo;
}): Promise<InvitationMailOutcome> {
  if (!isMailConfigured()) return { status: "not_configured" };
  const inviter = await describeInviter(invitation.inviterId);
  try {
    await sendMail({ to: invitation.email, ...composeInvitationMail({ ...invitation, inviter }) });
    return { status: "sent", to: invitation.email };
  } catch (error) {
    if (!(error instanceof MailError)) throw error;
    return { status: "failed", to: invitation.email, reason: error.message };
  }
}
