// What an action does to the account, from its annotations: only reads, changes data, or can
// delete or overwrite (destructive); for an action whose effect depends on a field (the HTTP
// request's method), that it does.
import { Badge } from "@/components/kit/badge";
import type { CatalogAction, ToolAnnotationHints } from "@/lib/integrations/catalog";

export type ActionEffect = "read_only" | "changes_data" | "destructive";

export function actionEffectOf(
  annotations: Pick<ToolAnnotationHints, "readOnlyHint" | "destructiveHint">,
): ActionEffect {
  if (annotations.readOnlyHint) return "read_only";
  return annotations.destructiveHint ? "destructive" : "changes_data";
}

export const actionEffectLabels: Record<ActionEffect, string> = {
  read_only: "Read-only",
  changes_data: "Changes data",
  destructive: "Destructive",
};

const tones = { read_only: "success", changes_data: "warning", destructive: "danger" } as const;

export function ActionEffectBadge({
  action,
}: {
  action: Pick<CatalogAction, "annotations" | "annotationsByValue">;
}) {
  if (action.annotationsByValue)
    return <Badge tone="warning">Depends on the {action.annotationsByValue.field}</Badge>;
  const effect = actionEffectOf(action.annotations);
  return <Badge tone={tones[effect]}>{actionEffectLabels[effect]}</Badge>;
}
