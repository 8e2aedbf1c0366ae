"use client";
// A ConfirmButton whose confirmation runs a server action, showing the action's refusal above it.
import { type ComponentProps, useState } from "react";
import type { ActionResult } from "@/lib/web/server-action";
import { ConfirmButton } from "./confirm-button";
import { Notice } from "./notice";

export function ConfirmActionButton({
  run,
  onDone,
  ...confirm
}: Omit<ComponentProps<typeof ConfirmButton>, "onConfirm"> & {
  /** The action; an action that redirects on success returns nothing. */
  run: () => Promise<ActionResult | undefined>;
  /** After the action succeeded (to leave a page whose subject is gone, say). */
  onDone?: () => void;
}) {
  const [error, setError] = useState<string>();
  return (
    <div className="space-y-2">
      {error && <Notice tone="danger">{error}</Notice>}
      <ConfirmButton
        {...confirm}
        onConfirm={async () => {
          setError(undefined);
          const result = await run();
          if (result && !result.ok) setError(result.message);
          else onDone?.();
        }}
      />
    </div>
  );
}
