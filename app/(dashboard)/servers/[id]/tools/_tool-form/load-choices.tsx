// The button that loads a field's choices from the account, with how many came or why none did:
// the same in the settings form and in the try form.
import { Button } from "@/components/kit/button";
import type { ChoicesState } from "./tool-form-state";

export function LoadChoices({
  fieldLabel,
  choices,
  canLoad,
  onLoad,
}: {
  /** Said to screen readers after the button's words, where the field's group does not name it. */
  fieldLabel?: string;
  choices?: ChoicesState;
  canLoad: boolean;
  onLoad: () => void;
}) {
  return (
    <>
      {canLoad && (
        <div className="flex flex-wrap items-center gap-2 pt-1">
          <Button size="sm" pending={choices?.loading} onClick={onLoad}>
            {choices?.loading
              ? "Loading choices…"
              : choices?.options
                ? "Reload choices"
                : "Load choices from your account"}
            {fieldLabel && <span className="sr-only"> for {fieldLabel}</span>}
          </Button>
          {choices?.options && (
            <span role="status" className="text-xs text-zinc-600 dark:text-zinc-400">
              {choices.options.length} choices loaded.
            </span>
          )}
        </div>
      )}
      {choices?.error && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {choices.error}
        </p>
      )}
    </>
  );
}
