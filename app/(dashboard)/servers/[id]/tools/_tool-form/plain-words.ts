// The tool's field settings in sentences a non-developer reads at a glance, beside the JSON the
// AI gets, and the description to suggest once fixed values make the action's own one promise
// more than the tool does.
import type { FieldSettings } from "@/lib/tools/field-settings";

type Fixed = { name: string; shown: string; secret: boolean };

/** "The AI fills: text.", "Always: operation = uppercase.", "Left out: suffix.", in field order. */
export function describeFieldSettings(
  fieldNames: string[],
  settings: FieldSettings,
  fixed: Fixed[],
): string[] {
  const filled = fieldNames.filter((name) => !settings[name]);
  const omitted = fieldNames.filter((name) => settings[name]?.mode === "omit");
  return [
    filled.length > 0
      ? `The AI fills: ${filled.join(", ")}.`
      : "The AI fills nothing: every field is set here.",
    ...(fixed.length > 0 ? [`Always: ${fixed.map(fixedPhrase).join("; ")}.`] : []),
    ...(omitted.length > 0 ? [`Left out: ${omitted.join(", ")}.`] : []),
  ];
}

function fixedPhrase({ name, shown, secret }: Fixed): string {
  return secret ? `${name} (a secret value)` : `${name} = ${shown}`;
}

/**
 * The action's description with the fixed values said, while the tool still uses the action's
 * own description (as it starts, or emptied) and fixes something; otherwise nothing to suggest.
 */
export function suggestDescription(actionDescription: string, typedDescription: string, fixed: Fixed[]) {
  const typed = typedDescription.trim();
  if (fixed.length === 0 || (typed !== "" && typed !== actionDescription.trim())) return undefined;
  return `${actionDescription} Always uses ${fixed.map(fixedPhrase).join("; ")}.`;
}
