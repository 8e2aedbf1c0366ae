// A tool's annotations: its action's, unless the tool fixes the field its action's annotations
// depend on (an HTTP request fixed to GET only reads; left to the AI, it may delete). Used for the
// MCP tool list and for the tool form's preview alike.
import type { AnnotationsByValue } from "@/integrations/sdk/define";
import type { FieldSettings } from "./field-settings";

export function toolAnnotations<A>(
  action: { annotations: A; annotationsByValue?: AnnotationsByValue<A> },
  fields: FieldSettings,
): A {
  const byValue = action.annotationsByValue;
  const setting = byValue ? fields[byValue.field] : undefined;
  if (!byValue || setting?.mode !== "fixed" || typeof setting.value !== "string") return action.annotations;
  return byValue.values[setting.value] ?? action.annotations;
}
