"use client";
// An organization's plan and its overrides: a plan (or the default plan) and, per window, a number
// that replaces the plan's limit for the whole organization, or nothing to use the plan's.
import { useActionState } from "react";
import { Button } from "@/components/kit/button";
import { inputClasses, SelectField } from "@/components/kit/fields";
import { Notice } from "@/components/kit/notice";
import type { PlanChoice } from "@/lib/admin/user-admin";
import type { WindowName } from "@/lib/quota/windows";
import { formatCount } from "../../format";
import { type OrgPlanFormState, setOrgPlanAction } from "../actions";

const windows: { name: WindowName; label: string }[] = [
  { name: "hour", label: "Calls an hour" },
  { name: "day", label: "Calls a day" },
  { name: "month", label: "Calls a month" },
];

export function OrgPlanForm({
  orgId,
  plans,
  planId,
  planLimits,
  overrides,
}: {
  orgId: string;
  plans: PlanChoice[];
  planId: string | null;
  planLimits: Record<WindowName, number>;
  overrides: Record<WindowName, number | null>;
}) {
  const [state, action, pending] = useActionState<OrgPlanFormState, FormData>(
    setOrgPlanAction.bind(null, orgId),
    null,
  );
  const failure = state && !state.ok ? state : undefined;
  return (
    // Keyed by what was sent: React resets a form after its action, and would bring back the values
    // the page was rendered with instead of the ones to correct.
    <form key={JSON.stringify(state?.values ?? null)} action={action} noValidate className="space-y-4">
      {failure && !failure.fieldErrors && <Notice tone="danger">{failure.message}</Notice>}
      {state?.ok && (
        <Notice tone="success">Saved. The organization&apos;s next call uses these limits.</Notice>
      )}
      <SelectField
        id="org-plan"
        label="Plan"
        name="planId"
        defaultValue={state?.values?.planId ?? planId ?? ""}
        error={failure?.fieldErrors?.planId}
      >
        <option value="">The default plan</option>
        {plans.map((plan) => (
          <option key={plan.id} value={plan.id}>
            {plan.name} ({formatCount(plan.hourlyLimit)}/hour · {formatCount(plan.dailyLimit)}/day ·{" "}
            {formatCount(plan.monthlyLimit)}/month)
          </option>
        ))}
      </SelectField>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium">Overrides for the whole organization</legend>
        <p id="org-override-hint" className="text-xs text-zinc-600 dark:text-zinc-400">
          Leave a field empty to use the plan&apos;s limit (now {formatCount(planLimits.hour)}/hour,{" "}
          {formatCount(planLimits.day)}/day, {formatCount(planLimits.month)}/month).
        </p>
        <div className="flex flex-wrap gap-3">
          {windows.map((window) => {
            const id = `org-override-${window.name}`;
            const error = failure?.fieldErrors?.[window.name];
            return (
              <div key={window.name} className="w-36 space-y-1">
                <label htmlFor={id} className="block text-sm">
                  {window.label}
                </label>
                <input
                  id={id}
                  name={window.name}
                  inputMode="numeric"
                  defaultValue={state?.values?.[window.name] ?? overrides[window.name] ?? ""}
                  placeholder="Plan's"
                  aria-invalid={error ? true : undefined}
                  aria-describedby={error ? `${id}-error` : "org-override-hint"}
                  className={inputClasses}
                />
                {error && (
                  <p id={`${id}-error`} className="text-sm text-red-700 dark:text-red-400">
                    {error}
                  </p>
                )}
              </div>
            );
          })}
        </div>
      </fieldset>
      <Button type="submit" variant="primary" pending={pending}>
        {pending ? "Saving…" : "Save plan and limits"}
      </Button>
    </form>
  );
}
