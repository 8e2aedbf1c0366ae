// Platform settings: who may create an account (open sign-up or invitation only), and the
// invitations administrators have made, with what became of each.
import type { Metadata } from "next";
import { formatDate } from "@/components/format-date";
import { Badge } from "@/components/kit/badge";
import { Card, EmptyState } from "@/components/kit/card";
import { PageHeader } from "@/components/kit/page-header";
import { requireAdmin } from "@/lib/auth/session";
import { isMailConfigured } from "@/lib/mail/send-mail";
import { getSignUpMode } from "@/lib/settings/sign-up-mode";
import { type InvitationSummary, listInvitations } from "@/lib/users/invitations";
import { NewInvitationForm } from "./new-invitation-form";
import { RevokeInvitationButton } from "./revoke-invitation-button";
import { SignUpModeForm } from "./sign-up-mode-form";

export const metadata: Metadata = { title: "Settings · Admin" };
export const dynamic = "force-dynamic";

const stateBadges = {
  pending: { tone: "info", label: "Not used yet" },
  used: { tone: "success", label: "Used" },
  expired: { tone: "neutral", label: "Expired" },
  revoked: { tone: "neutral", label: "Revoked" },
} as const;

function When({ date }: { date: Date }) {
  return <time dateTime={date.toISOString()}>{formatDate(date)}</time>;
}

function InvitationRow({ invitation }: { invitation: InvitationSummary }) {
  const badge = stateBadges[invitation.state];
  const name = invitation.email ?? "for anyone";
  return (
    <li
      className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2 p-4"
      data-testid="invitation-row"
    >
      <div className="min-w-0 space-y-1">
        <p className="flex flex-wrap items-center gap-2 font-medium break-all">
          {invitation.email ?? "Anyone with the link"}
          <Badge tone={badge.tone}>{badge.label}</Badge>
        </p>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Created <When date={invitation.createdAt} />
          {" · "}
          {invitation.state === "used" && invitation.endedAt ? (
            <>
              used <When date={invitation.endedAt} />
              {invitation.usedByEmail && <> by {invitation.usedByEmail}</>}
            </>
          ) : invitation.state === "revoked" && invitation.endedAt ? (
            <>
              revoked <When date={invitation.endedAt} />
            </>
          ) : (
            <>
              {invitation.state === "expired" ? "expired" : "expires"} <When date={invitation.expiresAt} />
            </>
          )}
        </p>
      </div>
      {invitation.state === "pending" && <RevokeInvitationButton invitationId={invitation.id} name={name} />}
    </li>
  );
}

export default async function AdminSettingsPage() {
  // Not only the layout: Next.js renders a page alongside its layout and would stream the page's
  // data to the browser even after the layout's notFound().
  await requireAdmin();
  const [mode, invitations] = await Promise.all([getSignUpMode(), listInvitations()]);
  return (
    <div className="space-y-8">
      <PageHeader title="Settings" description="Settings of this whole Toolgate, for every account on it." />
      <Card>
        <h2 className="mb-3 text-lg font-semibold">Sign-up</h2>
        <SignUpModeForm mode={mode} />
      </Card>
      <section aria-labelledby="invitations-heading" className="space-y-3">
        <h2 id="invitations-heading" className="text-lg font-semibold">
          Invitations
        </h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          An invitation link lets one person create an account while sign-up is by invitation only.
          {mode === "OPEN" && " Sign-up is open now, so nobody needs one yet."}
        </p>
        <Card>
          <h3 id="new-invitation" className="mb-3 font-semibold">
            New invitation
          </h3>
          <NewInvitationForm mailConfigured={isMailConfigured()} />
        </Card>
        {invitations.length === 0 ? (
          <EmptyState title="No invitations yet">
            <p>Create one above and send its link to the person you invite.</p>
          </EmptyState>
        ) : (
          <ul className="divide-y divide-zinc-200 rounded-xl border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900">
            {invitations.map((invitation) => (
              <InvitationRow key={invitation.id} invitation={invitation} />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
