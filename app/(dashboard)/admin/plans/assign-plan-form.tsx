"use client";
// Moves people to a plan by their email addresses (separated by commas, spaces or lines). If any
// address has no account, nothing changes and the form says which ones.
import { useActionState, useId } from "react";
import { Button } from "@/components/kit/button";
import { inputClasses } from "@/components/kit/fields";
import { Notice } from "@/components/kit/notice";
import { type AssignPlanState, assignPlanAction } from "./actions";

export function AssignPlanForm({ plans }: { plans: { id: string; name: string }[] }) {
  const [state, action, pending] = useActionState<AssignPlanState, FormData>(assignPlanAction, null);
  const id = useId();
  const failure = state && !state.ok ? state : undefined;
  const emailsError = failure?.fieldErrors?.emails;
  const planError = failure?.fieldErrors?.planId;
  const done = state?.ok ? state.data : undefined;
  return (
    <form action={action} noValidate aria-labelledby={`${id}-title`} className="space-y-3">
      <h2 id={`${id}-title`} className="text-lg font-semibold">
        Move people to a plan
      </h2>
      {failure && !emailsError && !planError && <Notice tone="danger">{failure.message}</Notice>}
      <div className="grid gap-3 sm:grid-cols-[1fr_16rem]">
        <div className="space-y-1">
          <label htmlFor={`${id}-emails`} className="block text-sm font-medium">
            Email addresses
          </label>
          <textarea
            id={`${id}-emails`}
            name="emails"
            rows={3}
            required
            defaultValue={state?.values?.emails}
            placeholder="ada@example.com, grace@example.com"
            aria-invalid={emailsError ? true : undefined}
            aria-describedby={`${id}-emails-hint${emailsError ? ` ${id}-emails-error` : ""}`}
            className={inputClasses}
          />
          <p id={`${id}-emails-hint`} className="text-xs text-zinc-600 dark:text-zinc-400">
            Separate addresses with commas or new lines. Their per-person limits, if any, still apply.
          </p>
          {emailsError && (
            <p id={`${id}-emails-error`} className="text-sm text-red-700 dark:text-red-400">
              {emailsError}
            </p>
          )}
        </div>
        <div className="space-y-1">
          <label htmlFor={`${id}-plan`} className="block text-sm font-medium">
            Plan
          </label>
          {/* Keyed by the chosen plan: React does not carry a changed defaultValue to a select, and
              the form reset after each submission would otherwise bring back "Choose a plan". */}
          <select
            key={state?.values?.planId ?? "none"}
            id={`${id}-plan`}
            name="planId"
            required
            defaultValue={state?.values?.planId ?? ""}
            aria-invalid={planError ? true : undefined}
            aria-describedby={planError ? `${id}-plan-error` : undefined}
            className={inputClasses}
          >
            <option value="" disabled>
              Choose a plan
            </option>
            {plans.map((plan) => (
              <option key={plan.id} value={plan.id}>
                {plan.name}
              </option>
            ))}
          </select>
          {planError && (
            <p id={`${id}-plan-error`} className="text-sm text-red-700 dark:text-red-400">
              {planError}
            </p>
          )}
        </div>
      </div>
      <div aria-live="polite">
        {done && (
          <Notice tone="success">
            {done.changed === 0
              ? `Everyone listed was already on ${done.planName}.`
              : `Moved ${done.changed === 1 ? "1 person" : `${done.changed} people`} to ${done.planName}${
                  done.unchanged > 0 ? ` (${done.unchanged} already on it)` : ""
                }. Their next tool call uses its limits.`}
          </Notice>
        )}
      </div>
      <Button type="submit" variant="primary" pending={pending}>
        {pending ? "Moving…" : "Move to plan"}
      </Button>
    </form>
  );
}
