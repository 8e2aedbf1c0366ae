"use client";
// A plan's name and its three limits, for a new plan and for editing one. Limits out of order
// (an hourly limit above the daily one, say) are allowed, and warned about as they are typed.
import { useActionState, useState } from "react";
import { Button } from "@/components/kit/button";
import { TextField } from "@/components/kit/fields";
import { Notice } from "@/components/kit/notice";
import { limitOrderWarnings, maxPlanLimit } from "@/lib/plans/plan-limits";
import type { PlanFormState, PlanFormValues } from "./actions";

type PlanAction = (previous: PlanFormState, form: FormData) => Promise<PlanFormState>;

const limitFields = [
  { name: "hourlyLimit", label: "Calls an hour" },
  { name: "dailyLimit", label: "Calls a day" },
  { name: "monthlyLimit", label: "Calls a month" },
] as const;

function whole(text: string): number | undefined {
  return /^\d+$/.test(text.trim()) ? Number(text) : undefined;
}

export function PlanForm({
  action,
  initial,
  submitLabel,
  pendingLabel,
  successPrefix,
  title,
}: {
  action: PlanAction;
  initial: PlanFormValues;
  submitLabel: string;
  pendingLabel: string;
  /** Shown before the saved plan's name: "Created the plan", "Saved". */
  successPrefix: string;
  /** The form's accessible name. */
  title: string;
}) {
  const [state, formAction, pending] = useActionState<PlanFormState, FormData>(action, null);
  const values = state?.values ?? initial;
  const [limits, setLimits] = useState({
    hourlyLimit: values.hourlyLimit,
    dailyLimit: values.dailyLimit,
    monthlyLimit: values.monthlyLimit,
  });
  // After a save, the form shows what was saved (or is emptied for the next new plan). A refused
  // save leaves the inputs alone: its answer can arrive after the person has typed again.
  const [shownState, setShownState] = useState(state);
  if (state !== shownState) {
    setShownState(state);
    if (state?.ok)
      setLimits({
        hourlyLimit: values.hourlyLimit,
        dailyLimit: values.dailyLimit,
        monthlyLimit: values.monthlyLimit,
      });
  }
  const failure = state && !state.ok ? state : undefined;
  const warnings = limitOrderWarnings({
    hourlyLimit: whole(limits.hourlyLimit),
    dailyLimit: whole(limits.dailyLimit),
    monthlyLimit: whole(limits.monthlyLimit),
  });
  return (
    <form action={formAction} noValidate aria-label={title} className="space-y-4">
      {failure && (!failure.fieldErrors || failure.fieldErrors.form) && (
        <Notice tone="danger">{failure.message}</Notice>
      )}
      <div className="grid gap-3 sm:grid-cols-4">
        <TextField
          label="Name"
          name="name"
          required
          maxLength={60}
          autoComplete="off"
          defaultValue={values.name}
          error={failure?.fieldErrors?.name}
        />
        {limitFields.map((field) => (
          <TextField
            key={field.name}
            label={field.label}
            name={field.name}
            type="number"
            inputMode="numeric"
            min={0}
            max={maxPlanLimit}
            step={1}
            required
            value={limits[field.name]}
            onChange={(event) => setLimits((current) => ({ ...current, [field.name]: event.target.value }))}
            error={failure?.fieldErrors?.[field.name]}
          />
        ))}
      </div>
      <div aria-live="polite" className="space-y-2">
        {warnings.length > 0 && (
          <Notice tone="warning">
            <ul className="list-inside list-disc" data-testid="limit-warnings">
              {warnings.map((warning) => (
                <li key={warning}>{warning}</li>
              ))}
            </ul>
            <p className="mt-1">
              Put the limits in order (hourly, then daily, then monthly) to save the plan.
            </p>
          </Notice>
        )}
        {state?.ok && <Notice tone="success">{`${successPrefix} ${state.data.name}.`}</Notice>}
      </div>
      <Button type="submit" variant="primary" pending={pending}>
        {pending ? pendingLabel : submitLabel}
      </Button>
    </form>
  );
}
