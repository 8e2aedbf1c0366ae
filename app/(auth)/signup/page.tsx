import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/kit/card";
import { Notice } from "@/components/kit/notice";
import { getCurrentUser } from "@/lib/auth/session";
import { nextAccountAdministers } from "@/lib/users/create-user";
import { SignUpForm } from "./sign-up-form";

export const metadata: Metadata = { title: "Create an account" };

export default async function SignUpPage() {
  if (await getCurrentUser()) redirect("/");
  return (
    <AuthCard
      title="Create your account"
      footer={
        <>
          Already have an account?{" "}
          <Link href="/signin" className="font-medium text-brand-600 hover:underline dark:text-brand-300">
            Sign in
          </Link>
        </>
      }
    >
      {(await nextAccountAdministers()) && (
        <div className="mb-4">
          <Notice>
            This Toolgate has no administrator yet: the account you create now administers it (plans, limits
            and other people&apos;s accounts).
          </Notice>
        </div>
      )}
      <SignUpForm />
    </AuthCard>
  );
}
