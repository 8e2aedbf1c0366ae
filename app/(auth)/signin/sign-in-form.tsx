"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { signInWithPassword } from "@/components/auth-client";
import { Button } from "@/components/kit/button";
import { TextField } from "@/components/kit/fields";
import { Notice } from "@/components/kit/notice";
import { ProviderButtons } from "@/components/provider-buttons";

const messages: Record<string, string> = {
  invalid_credentials: "That email and password do not match an account. Check them and try again.",
  invalid_input: "Enter your email address and your password.",
  rate_limited: "Too many sign-in attempts. Wait 15 minutes, then try again.",
  suspended: "This account is suspended. Contact your administrator.",
  unavailable: "Sign-in is temporarily unavailable. Try again in a minute.",
  email_required:
    "Your provider did not share a verified email address, which an account needs. Verify your primary address there and try again.",
  invitation_required:
    "Sign-up on this Toolgate is by invitation only, and there is no account or invitation for this address yet. Ask the administrator for an invitation for it.",
  sso_required:
    "Your organization requires its members to sign in with single sign-on: use its button below instead.",
  AccessDenied: "Sign-in was refused.",
  CredentialsSignin: "That email and password do not match an account. Check them and try again.",
};

export function describeSignInError(code: string): string {
  return messages[code] ?? "Sign-in failed. Try again.";
}

export function SignInForm({
  providers,
  initialError,
  next = "/",
  email,
  initialMessage,
}: {
  providers: { id: string; name: string }[];
  initialError?: string;
  /** Where to go once signed in (a path on this site). */
  next?: string;
  /** The address to fill in (an invitation's). */
  email?: string;
  /** A refusal the page has worded itself (one that names an organization). */
  initialMessage?: string;
}) {
  const router = useRouter();
  const [error, setError] = useState(
    initialMessage ?? (initialError ? describeSignInError(initialError) : undefined),
  );
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(undefined);
    try {
      const code = await signInWithPassword(
        String(form.get("email") ?? ""),
        String(form.get("password") ?? ""),
        next,
      );
      const ssoOrg = code?.match(/^sso_required:(.+)$/)?.[1];
      if (ssoOrg) {
        // The page names the organization and the single sign-on button to use.
        window.location.assign(
          `/signin?${new URLSearchParams({ error: "AccessDenied", code: "sso_required", org: ssoOrg })}`,
        );
        return;
      }
      if (code) {
        setError(describeSignInError(code));
        return;
      }
      router.replace(next);
      router.refresh();
    } catch {
      setError(describeSignInError("unavailable"));
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="space-y-5">
      <form onSubmit={onSubmit} className="space-y-4" noValidate>
        {error && <Notice tone="danger">{error}</Notice>}
        <TextField
          id="email"
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          required
          defaultValue={email}
        />
        <TextField
          id="password"
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
        />
        <Button type="submit" variant="primary" pending={pending} className="w-full">
          {pending ? "Please wait…" : "Sign in"}
        </Button>
      </form>
      <ProviderButtons providers={providers} next={next} />
    </div>
  );
}
