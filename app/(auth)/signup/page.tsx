import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { formatDate } from "@/components/format-date";
import { AuthCard } from "@/components/kit/card";
import { Notice } from "@/components/kit/notice";
import { ProviderButtons } from "@/components/provider-buttons";
import { listSignInProviders } from "@/lib/auth/config";
import { getCurrentUser } from "@/lib/auth/session";
import { getSignUpAccess } from "@/lib/users/sign-up-access";
import { safeNextPath } from "@/lib/web/next-path";
import { SignUpForm } from "./sign-up-form";

export const metadata: Metadata = { title: "Create an account" };

export default async function SignUpPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { invitation: token, next: nextParam } = await searchParams;
  const next = safeNextPath(nextParam);
  if (await getCurrentUser()) redirect(next ?? "/");
  const access = await getSignUpAccess(typeof token === "string" ? token : undefined);
  return (
    <AuthCard
      title={access.open ? "Create your account" : "Sign-up is by invitation"}
      footer={
        <>
          Already have an account?{" "}
          <Link
            href={next ? `/signin?next=${encodeURIComponent(next)}` : "/signin"}
            className="font-medium text-brand-600 hover:underline dark:text-brand-300"
          >
            Sign in
          </Link>
        </>
      }
    >
      {!access.open ? (
        <div className="space-y-3 text-sm">
          <p>
            {access.reason === "invitation_unusable"
              ? "This invitation link cannot be used any more: it has expired, was already used or was withdrawn."
              : "New accounts on this Toolgate are by invitation only."}
          </p>
          <p>
            Ask its administrator for an invitation link, then open that link to create your account. If you
            already have an account, sign in instead.
          </p>
        </div>
      ) : (
        <>
          {access.firstAccount && (
            <div className="mb-4">
              <Notice>
                This Toolgate has no administrator yet: the account you create now administers it (plans,
                limits and other people&apos;s accounts).
              </Notice>
            </div>
          )}
          {access.invitation && (
            <div className="mb-4">
              <Notice tone="success">
                You have been invited
                {access.invitation.orgName ? <> to join {access.invitation.orgName}</> : null}
                {access.invitation.email ? <> as {access.invitation.email}</> : null}. The invitation works
                until {formatDate(access.invitation.expiresAt)} (UTC), once.
              </Notice>
            </div>
          )}
          <SignUpForm
            invitation={
              access.invitation
                ? { token: access.invitation.token, email: access.invitation.email }
                : undefined
            }
            next={next}
          />
          <div className="mt-5">
            <ProviderButtons providers={listSignInProviders()} next={next} />
          </div>
        </>
      )}
    </AuthCard>
  );
}
