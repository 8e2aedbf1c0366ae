import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/kit/card";
import { Notice } from "@/components/kit/notice";
import { listSignInProviders } from "@/lib/auth/config";
import { describeSsoRefusal } from "@/lib/auth/oauth-sign-in";
import { getCurrentUser } from "@/lib/auth/session";
import { findSsoRequiringOrgName } from "@/lib/orgs/sso-settings";
import { safeNextPath } from "@/lib/web/next-path";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const next = safeNextPath(params.next);
  if (await getCurrentUser()) redirect(next ?? "/");
  const code =
    typeof params.code === "string"
      ? params.code
      : typeof params.error === "string"
        ? params.error
        : undefined;
  // A member of an organization that requires single sign-on, refused another way in: the message
  // names the organization (only one that does require it, so a link cannot make it say anything).
  const ssoOrgName =
    code === "sso_required" && typeof params.org === "string" && params.org.length <= 100
      ? await findSsoRequiringOrgName(params.org)
      : null;
  return (
    <AuthCard
      title="Sign in to your account"
      footer={
        <>
          New here?{" "}
          <Link
            href={next ? `/signup?next=${encodeURIComponent(next)}` : "/signup"}
            className="font-medium text-brand-600 hover:underline dark:text-brand-300"
          >
            Create an account
          </Link>
        </>
      }
    >
      {params.changed === "password" && (
        <div className="mb-4">
          <Notice tone="success">
            Your password is changed. Sign in with the new one; every other device was signed out too.
          </Notice>
        </div>
      )}
      {params.changed === "deleted" && (
        <div className="mb-4">
          <Notice tone="success">Your account and everything in it are deleted.</Notice>
        </div>
      )}
      <SignInForm
        providers={listSignInProviders()}
        initialError={code}
        next={next}
        email={typeof params.email === "string" ? params.email.slice(0, 254) : undefined}
        initialMessage={ssoOrgName ? describeSsoRefusal(ssoOrgName) : undefined}
      />
    </AuthCard>
  );
}
