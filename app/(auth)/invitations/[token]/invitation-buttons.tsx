"use client";
// The invitation page's buttons: join the organization, or sign out to sign in with the invited
// address.
import { useState, useTransition } from "react";
import { signOut } from "@/components/auth-client";
import { Button } from "@/components/kit/button";
import { Notice } from "@/components/kit/notice";
import { joinOrgAction } from "./actions";

export function JoinButton({ token, orgName }: { token: string; orgName: string }) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string>();
  return (
    <div className="space-y-3">
      {error && <Notice tone="danger">{error}</Notice>}
      <Button
        variant="primary"
        className="w-full"
        pending={pending}
        onClick={() =>
          startTransition(async () => {
            setError(undefined);
            const result = await joinOrgAction(token);
            if (result && !result.ok) setError(result.message);
          })
        }
      >
        {pending ? "Joining…" : `Join ${orgName}`}
      </Button>
    </div>
  );
}

/** Signs out and opens the sign-in page for `signInAgain` (with the invited address, back here). */
export function SignOutToSwitchButton({ signInAgain }: { signInAgain: string }) {
  const [pending, setPending] = useState(false);
  return (
    <Button
      className="w-full"
      pending={pending}
      onClick={() => {
        setPending(true);
        void signOut(signInAgain).catch(() => setPending(false));
      }}
    >
      {pending ? "Signing out…" : "Sign out and sign in again"}
    </Button>
  );
}
