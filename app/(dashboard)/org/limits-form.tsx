"use client";
// Limits inside the organization's own: the default every member gets, or one member's. Each window
// is a whole number of calls, or empty for none of its own.
import { useActionState, useId } from "react";
import { Button } from "@/components/kit/button";
import { inputClasses } from "@/components/kit/fields";
import { Notice } from "@/components/kit/notice";
import type { WindowName } from "@/lib/quota/windows";
import { type LimitsFormState, setDefaultMemberLimitsAction, setMemberLimitsAction } from "./actions";

const windows: { name: WindowName; label: string }[] = [
  { name: "hour", label: "Calls an hour" },
  { name: "day", label: "Calls a day" },
  { name: "month", label: "Calls a month" },
];

export function LimitsForm({
  orgId,
  member,
  limits,
  emptyMeans,
}: {
  orgId: string;
  /** Whose limits (none: the organization's default member limits). */
  member?: { id: string; email: string };
  limits: Record<WindowName, number | null>;
  /** What an empty field means, for its hint. */
  emptyMeans: string;
}) {
  const [state, action, pending] = useActionState<LimitsFormState, FormData>(
    member
      ? setMemberLimitsAction.bind(null, orgId, member.id)
      : setDefaultMemberLimitsAction.bind(null, orgId),
    null,
  );
  const id = useId();
  const failure = state && !state.ok ? state : undefined;
  const whose = member ? ` for ${member.email}` : "";
  return (
    // Keyed by what was sent: React resets a form after its action, and would bring back the values
    // the page was rendered with instead of the ones to correct.
    <form key={JSON.stringify(state?.values ?? null)} action={action} noValidate className="space-y-3">
      {failure && !failure.fieldErrors && <Notice tone="danger">{failure.message}</Notice>}
      {state?.ok && <Notice tone="success">Limits saved{whose}. They apply from the next call.</Notice>}
      <div className="flex flex-wrap items-start gap-3">
        {windows.map((window) => {
          const inputId = `${id}-${window.name}`;
          const error = failure?.fieldErrors?.[window.name];
          return (
            <div key={window.name} className="w-36 space-y-1">
              <label htmlFor={inputId} className="block text-sm font-medium">
                {window.label}
                <span className="sr-only">{whose}</span>
              </label>
              <input
                id={inputId}
                name={window.name}
                inputMode="numeric"
                defaultValue={state?.values?.[window.name] ?? limits[window.name] ?? ""}
                placeholder="No limit"
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? `${inputId}-error` : `${id}-hint`}
                className={inputClasses}
              />
              {error && (
                <p id={`${inputId}-error`} className="text-sm text-red-700 dark:text-red-400">
                  {error}
                </p>
              )}
            </div>
          );
        })}
      </div>
      <p id={`${id}-hint`} className="text-xs text-zinc-600 dark:text-zinc-400">
        Leave a field empty for {emptyMeans}.
      </p>
      <Button type="submit" variant="primary" size="sm" pending={pending}>
        {pending ? "Saving…" : "Save limits"}
        <span className="sr-only">{whose}</span>
      </Button>
    </form>
  );
}
