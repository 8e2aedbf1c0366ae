"use client";
// Open sign-up or sign-up by invitation only: two choices and a save button.
import { useActionState } from "react";
import { Button } from "@/components/kit/button";
import { Notice } from "@/components/kit/notice";
import { type SignUpModeState, setSignUpModeAction } from "./actions";

const choices = [
  {
    value: "OPEN",
    label: "Open",
    description: "Anyone who can reach this Toolgate can create an account on the sign-up page.",
  },
  {
    value: "INVITATION_ONLY",
    label: "Invitation only",
    description:
      "Only people with an invitation link from an administrator can create an account. Existing accounts are not affected.",
  },
] as const;

export function SignUpModeForm({ mode }: { mode: "OPEN" | "INVITATION_ONLY" }) {
  const [state, action, pending] = useActionState<SignUpModeState, FormData>(setSignUpModeAction, null);
  const current = state?.ok ? state.data.mode : mode;
  return (
    <form action={action} className="space-y-4">
      {state && !state.ok && <Notice tone="danger">{state.message}</Notice>}
      {state?.ok && (
        <Notice tone="success">
          Saved: sign-up is {state.data.mode === "OPEN" ? "open to anyone" : "by invitation only"}.
        </Notice>
      )}
      <fieldset className="space-y-3">
        <legend className="text-sm font-medium">Who can create an account</legend>
        {choices.map((choice) => (
          <div key={choice.value} className="flex items-start gap-3">
            <input
              type="radio"
              id={`sign-up-${choice.value}`}
              name="signUpMode"
              value={choice.value}
              defaultChecked={current === choice.value}
              aria-describedby={`sign-up-${choice.value}-hint`}
              className="mt-1 size-4 accent-brand-600"
            />
            <div>
              <label htmlFor={`sign-up-${choice.value}`} className="text-sm font-semibold">
                {choice.label}
              </label>
              <p id={`sign-up-${choice.value}-hint`} className="text-sm text-zinc-600 dark:text-zinc-400">
                {choice.description}
              </p>
            </div>
          </div>
        ))}
      </fieldset>
      <Button type="submit" variant="primary" pending={pending}>
        {pending ? "Saving…" : "Save"}
      </Button>
    </form>
  );
}
