"use client";

import { useRouter } from "next/navigation";
import { useActionState, useEffect, useRef, useState } from "react";
import { signInWithPassword } from "@/components/auth-client";
import { Button } from "@/components/kit/button";
import { TextField } from "@/components/kit/fields";
import { Notice } from "@/components/kit/notice";
import { type SignUpState, signUpAction } from "./actions";

export function SignUpForm({
  invitation,
  next = "/",
}: {
  invitation?: { token: string; email: string | null };
  /** Where to go once the account is made and signed in (a path on this site). */
  next?: string;
}) {
  const router = useRouter();
  const [state, action, pending] = useActionState(signUpAction, { ok: false } satisfies SignUpState);
  const [signInError, setSignInError] = useState<string>();
  const password = useRef("");

  useEffect(() => {
    if (!state.ok || !state.values) return;
    void signInWithPassword(state.values.email, password.current, next).then((code) => {
      if (code)
        setSignInError("Your account was created, but signing in failed. Sign in from the sign-in page.");
      else {
        router.replace(next);
        router.refresh();
      }
    });
  }, [state, router, next]);

  return (
    <form action={action} className="space-y-4" noValidate>
      {(state.error || signInError) && <Notice tone="danger">{state.error ?? signInError}</Notice>}
      {invitation && <input type="hidden" name="invitation" value={invitation.token} />}
      <TextField
        id="name"
        label="Name"
        name="name"
        autoComplete="name"
        defaultValue={state.values?.name}
        error={state.fieldErrors?.name}
      />
      <TextField
        id="email"
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        required
        defaultValue={invitation?.email ?? state.values?.email}
        readOnly={Boolean(invitation?.email)}
        hint={invitation?.email ? "The invitation is for this address." : undefined}
        error={state.fieldErrors?.email}
      />
      <TextField
        id="password"
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={8}
        hint="At least 8 characters."
        error={state.fieldErrors?.password}
        onChange={(event) => {
          password.current = event.currentTarget.value;
        }}
      />
      <Button type="submit" variant="primary" pending={pending || state.ok} className="w-full">
        {pending || state.ok ? "Please wait…" : "Create account"}
      </Button>
    </form>
  );
}
