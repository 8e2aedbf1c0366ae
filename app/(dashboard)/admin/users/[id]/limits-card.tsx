"use client";
// A user's limits: the plan (chosen from the Plan table) and, per window, either the plan's limit
// or a custom one. Both forms post to server actions and keep working without JavaScript; the
// changes apply from the user's next tool call.
import { useActionState, useState } from "react";
import { Button } from "@/components/kit/button";
import { Card } from "@/components/kit/card";
import { inputClasses } from "@/components/kit/fields";
import { Notice } from "@/components/kit/notice";
import type { PlanChoice } from "@/lib/admin/user-admin";
import type { WindowName } from "@/lib/quota/windows";
import { formatCount } from "../../format";
import {
  type OverridesFormState,
  type PlanFormState,
  setUserOverridesAction,
  setUserPlanAction,
} from "../actions";

type WindowLimits = Record<WindowName, number>;

const windowTitles: Record<WindowName, string> = {
  hour: "Hourly limit",
  day: "Daily limit",
  month: "Monthly limit",
};
const unit: Record<WindowName, string> = { hour: "an hour", day: "a day", month: "a month" };

const limitInputClasses =
  "block w-32 rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm shadow-sm dark:border-zinc-700 dark:bg-zinc-900 aria-[invalid]:border-red-500";

function describePlan(plan: PlanChoice): string {
  return `${plan.name} (${formatCount(plan.hourlyLimit)}/hour · ${formatCount(plan.dailyLimit)}/day · ${formatCount(plan.monthlyLimit)}/month)`;
}

function PlanForm({ userId, plans, planId }: { userId: string; plans: PlanChoice[]; planId: string | null }) {
  const [state, action, pending] = useActionState<PlanFormState, FormData>(
    setUserPlanAction.bind(null, userId),
    null,
  );
  const failure = state && !state.ok ? state : undefined;
  return (
    <form action={action} className="space-y-2" aria-labelledby="plan-form-title">
      <h3 id="plan-form-title" className="font-medium">
        Plan
      </h3>
      {failure && <Notice tone="danger">{failure.fieldErrors?.planId ?? failure.message}</Notice>}
      {state?.ok && <Notice tone="success">Plan changed to {state.data.planName}.</Notice>}
      <div className="flex flex-col gap-2 sm:flex-row sm:items-end">
        <div className="min-w-0 flex-1 space-y-1">
          <label htmlFor="plan-select" className="block text-sm">
            Plan
          </label>
          <select id="plan-select" name="planId" defaultValue={planId ?? ""} className={inputClasses}>
            {planId === null && <option value="">No plan (the default plan applies)</option>}
            {plans.map((plan) => (
              <option key={plan.id} value={plan.id}>
                {describePlan(plan)}
                {plan.isDefault ? " — default" : ""}
              </option>
            ))}
          </select>
        </div>
        <Button type="submit" variant="primary" pending={pending}>
          {pending ? "Saving…" : "Change plan"}
        </Button>
      </div>
    </form>
  );
}

function WindowOverride({
  window,
  planLimit,
  override,
  error,
}: {
  window: WindowName;
  planLimit: number;
  override: number | null;
  error?: string;
}) {
  const [custom, setCustom] = useState(override !== null);
  const inputId = `override-${window}`;
  return (
    <fieldset className="space-y-1.5" data-testid={`override-${window}`}>
      <legend className="text-sm font-medium">{windowTitles[window]}</legend>
      <div className="flex flex-wrap items-center gap-x-4 gap-y-1.5 text-sm">
        <label className="inline-flex items-center gap-2">
          <input
            type="radio"
            name={`${window}Mode`}
            value="plan"
            checked={!custom}
            onChange={() => setCustom(false)}
          />
          Use the plan's ({formatCount(planLimit)} {unit[window]})
        </label>
        <span className="inline-flex items-center gap-2">
          <label className="inline-flex items-center gap-2">
            <input
              type="radio"
              name={`${window}Mode`}
              value="custom"
              checked={custom}
              onChange={() => setCustom(true)}
            />
            Custom
          </label>
          <label htmlFor={inputId} className="sr-only">
            Custom {windowTitles[window].toLowerCase()} (calls {unit[window]})
          </label>
          <input
            id={inputId}
            name={window}
            type="number"
            inputMode="numeric"
            min={0}
            step={1}
            defaultValue={override ?? planLimit}
            onFocus={() => setCustom(true)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${inputId}-error` : undefined}
            className={limitInputClasses}
          />
        </span>
      </div>
      {error && (
        <p id={`${inputId}-error`} className="text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      )}
    </fieldset>
  );
}

function OverridesForm({
  userId,
  planLimits,
  overrides,
}: {
  userId: string;
  planLimits: WindowLimits;
  overrides: Record<WindowName, number | null>;
}) {
  const [state, action, pending] = useActionState<OverridesFormState, FormData>(
    setUserOverridesAction.bind(null, userId),
    null,
  );
  const failure = state && !state.ok ? state : undefined;
  return (
    <form action={action} noValidate className="space-y-3" aria-labelledby="overrides-form-title">
      <div>
        <h3 id="overrides-form-title" className="font-medium">
          Limits for this user
        </h3>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          A custom limit replaces the plan's for this user only. It applies from their next tool call.
        </p>
      </div>
      {failure && <Notice tone="danger">{failure.message}</Notice>}
      {state?.ok && <Notice tone="success">Limits saved.</Notice>}
      {(["hour", "day", "month"] as const).map((window) => (
        <WindowOverride
          key={window}
          window={window}
          planLimit={planLimits[window]}
          override={overrides[window]}
          error={failure?.fieldErrors?.[window]}
        />
      ))}
      <Button type="submit" variant="primary" pending={pending}>
        {pending ? "Saving…" : "Save limits"}
      </Button>
    </form>
  );
}

export function LimitsCard({
  userId,
  plans,
  planId,
  planLimits,
  overrides,
}: {
  userId: string;
  plans: PlanChoice[];
  planId: string | null;
  planLimits: WindowLimits;
  overrides: Record<WindowName, number | null>;
}) {
  return (
    <Card className="space-y-6">
      <PlanForm userId={userId} plans={plans} planId={planId} />
      <hr className="border-zinc-200 dark:border-zinc-800" />
      <OverridesForm userId={userId} planLimits={planLimits} overrides={overrides} />
    </Card>
  );
}
