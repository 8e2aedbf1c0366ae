// A fixed value that is a list (a message's labels, a contact's lists) whose choices came from the
// account: a checkbox each, kept as the JSON array the field takes. Values already in the list
// that the account no longer offers stay shown, so saving never drops them silently.
import { HintAndError } from "@/components/kit/fields";
import type { FieldOption } from "@/integrations/sdk/define";

/** The strings of a JSON array of strings; anything else (not yet valid JSON, say) is none. */
export function chosenValues(raw: string): string[] {
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.filter((value): value is string => typeof value === "string") : [];
  } catch {
    return [];
  }
}

export function ChoiceList({
  id,
  label,
  options,
  raw,
  error,
  onRaw,
}: {
  id: string;
  label: string;
  options: FieldOption[];
  raw: string;
  error?: string;
  onRaw: (raw: string) => void;
}) {
  const chosen = chosenValues(raw);
  const offered = new Set(options.map((option) => option.value));
  const choices = [
    ...options,
    ...chosen.filter((value) => !offered.has(value)).map((value) => ({ value, label: `${value} (current)` })),
  ];
  function toggle(value: string, checked: boolean) {
    const next = checked ? [...chosen, value] : chosen.filter((other) => other !== value);
    // Kept in the order the choices are listed, whatever order they were ticked in.
    const ordered = choices.map((choice) => choice.value).filter((other) => next.includes(other));
    onRaw(ordered.length === 0 ? "" : JSON.stringify(ordered));
  }
  return (
    <div className="space-y-1">
      <fieldset
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        className="rounded-md border border-zinc-300 p-2 dark:border-zinc-700"
      >
        <legend className="px-1 text-sm font-medium">{label}</legend>
        <div className="max-h-60 space-y-1 overflow-auto">
          {choices.map((choice) => (
            <label key={choice.value} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                className="size-4 accent-brand-600"
                checked={chosen.includes(choice.value)}
                onChange={(event) => toggle(choice.value, event.target.checked)}
              />
              {choice.label}
            </label>
          ))}
        </div>
      </fieldset>
      <HintAndError id={id} error={error} />
    </div>
  );
}
