"use client";
// What an administrator can do with one plan besides editing it: make it the default (new
// accounts get it) and delete it, after confirming, when no one is on it and it is not the default.
import { useState, useTransition } from "react";
import { Button } from "@/components/kit/button";
import { ConfirmButton } from "@/components/kit/confirm-button";
import { deletePlanAction, setDefaultPlanAction } from "./actions";

export type PlanForActions = { id: string; name: string; isDefault: boolean; userCount: number };

export function PlanActions({ plan, afterDelete }: { plan: PlanForActions; afterDelete?: "/admin/plans" }) {
  const [message, setMessage] = useState<{ tone: "success" | "error"; text: string }>();
  const [pending, startTransition] = useTransition();
  const name = <span className="sr-only"> {plan.name}</span>;

  const makeDefault = () =>
    startTransition(async () => {
      setMessage(undefined);
      const result = await setDefaultPlanAction(plan.id);
      setMessage(
        result.ok
          ? { tone: "success", text: `${result.data.name} is now the default plan.` }
          : { tone: "error", text: result.message },
      );
    });

  return (
    <div>
      <div className="flex flex-wrap gap-2">
        {!plan.isDefault && (
          <Button size="sm" pending={pending} onClick={makeDefault}>
            {pending ? "Saving…" : "Make default"}
            {name}
          </Button>
        )}
        {!plan.isDefault && plan.userCount === 0 && (
          <ConfirmButton
            label={<>Delete{name}</>}
            title={`Delete the plan “${plan.name}”?`}
            description="No one is on this plan. Deleting it cannot be undone; its name becomes free for a new plan."
            confirmLabel="Delete plan"
            onConfirm={async () => {
              const result = await deletePlanAction(plan.id, { redirectTo: afterDelete });
              if (!result.ok) setMessage({ tone: "error", text: result.message });
            }}
          />
        )}
      </div>
      <div aria-live="polite">
        {message && (
          <p
            className={`mt-1 text-sm ${message.tone === "success" ? "text-green-800 dark:text-green-300" : "text-red-700 dark:text-red-400"}`}
          >
            {message.text}
          </p>
        )}
      </div>
    </div>
  );
}
