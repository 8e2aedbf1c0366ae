"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { signInWithPassword, signInWithProvider } from "@/components/auth-client";
import { Button } from "@/components/kit/button";
import { TextField } from "@/components/kit/fields";
import { Notice } from "@/components/kit/notice";

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
}: {
  providers: { id: string; name: string }[];
  initialError?: string;
  /** Where to go once signed in (a path on this site). */
  next?: string;
  /** The address to fill in (an invitation's). */
  email?: string;
}) {
  const router = useRouter();
  const [error, setError] = useState(initialError ? describeSignInError(initialError) : undefined);
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
      {providers.length > 0 && (
        <div className="space-y-2 border-t border-zinc-200 pt-4 dark:border-zinc-800">
          {providers.map((provider) => (
            <button
              key={provider.id}
              type="button"
              onClick={() => void signInWithProvider(provider.id, next)}
              className="w-full rounded-md border border-zinc-300 px-4 py-2 text-sm font-medium hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-800"
            >
              Continue with {provider.name}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
