// An invitation to join an organization. Signed out: who invited the person to what, and the way
// to sign in or sign up with the invited address, coming back here. Signed in with that address:
// a "Join" button. Signed in with another: a refusal naming the address to use. A link that was
// used, revoked or has expired: a page that says so.
import type { Metadata } from "next";
import Link from "next/link";
import { formatDate } from "@/components/format-date";
import { ButtonLink } from "@/components/kit/button";
import { AuthCard } from "@/components/kit/card";
import { Notice } from "@/components/kit/notice";
import { getCurrentUser } from "@/lib/auth/session";
import { findUsableOrgInvitation } from "@/lib/orgs/org-invitations";
import { roleWords } from "@/lib/orgs/roles";
import { JoinButton, SignOutToSwitchButton } from "./invitation-buttons";

export const metadata: Metadata = { title: "Invitation" };
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ token: string }> };

const linkClasses = "font-medium text-brand-600 hover:underline dark:text-brand-300";

export default async function InvitationPage({ params }: Props) {
  const { token } = await params;
  const [invitation, user] = await Promise.all([findUsableOrgInvitation(token), getCurrentUser()]);
  const home = (
    <Link href={user ? "/" : "/signin"} className={linkClasses}>
      {user ? "Go to your dashboard" : "Sign in"}
    </Link>
  );
  if (!invitation)
    return (
      <AuthCard title="This invitation cannot be used" footer={home}>
        <div className="space-y-3 text-sm">
          <p>The link has expired, was already used, or was withdrawn by the organization.</p>
          <p>Ask the person who invited you for a new invitation.</p>
        </div>
      </AuthCard>
    );
  const inviter = invitation.createdBy
    ? (invitation.createdBy.name ?? invitation.createdBy.email)
    : "Someone";
  const role = roleWords[invitation.role].toLowerCase();
  const here = `/invitations/${encodeURIComponent(token)}`;
  const signInHere = `/signin?next=${encodeURIComponent(here)}&email=${encodeURIComponent(invitation.email)}`;
  const summary = (
    <p>
      {inviter} invited <strong className="break-all">{invitation.email}</strong> to join{" "}
      <strong>{invitation.org.name}</strong> as {role === "admin" ? "an" : "a"} {role}. The invitation works
      once, until {formatDate(invitation.expiresAt)} (UTC).
    </p>
  );
  if (!user)
    return (
      <AuthCard title={`Join ${invitation.org.name}`} footer="Only this address can accept the invitation.">
        <div className="space-y-4 text-sm">
          {summary}
          <p>Sign in with that address, or create an account with it if you have none yet.</p>
          <div className="flex flex-col gap-2">
            <ButtonLink href={signInHere}>Sign in</ButtonLink>
            <ButtonLink
              variant="secondary"
              href={`/signup?invitation=${encodeURIComponent(token)}&next=${encodeURIComponent(here)}`}
            >
              Sign up
            </ButtonLink>
          </div>
        </div>
      </AuthCard>
    );
  if (user.email !== invitation.email)
    return (
      <AuthCard title="This invitation is for another address" footer={home}>
        <div className="space-y-4 text-sm">
          <Notice tone="danger">
            This invitation is for {invitation.email}, and you are signed in as {user.email}. Sign out, then
            sign in with {invitation.email} to accept it.
          </Notice>
          <SignOutToSwitchButton signInAgain={signInHere} />
        </div>
      </AuthCard>
    );
  return (
    <AuthCard title={`Join ${invitation.org.name}`} footer={home}>
      <div className="space-y-4 text-sm">
        {summary}
        <JoinButton token={token} orgName={invitation.org.name} />
      </div>
    </AuthCard>
  );
}
