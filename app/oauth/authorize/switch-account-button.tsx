"use client";
// "Not you?" on the consent page: signs out, then back to the sign-in page, which returns here.
import { useState } from "react";
import { signOut } from "@/components/auth-client";

export function SwitchAccountButton({ signInAgain }: { signInAgain: string }) {
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      disabled={pending}
      onClick={() => {
        setPending(true);
        void signOut(signInAgain).catch(() => setPending(false));
      }}
      className="font-medium text-brand-600 hover:underline disabled:opacity-60 dark:text-brand-300"
    >
      {pending ? "Signing out…" : "Use another account"}
    </button>
  );
}
