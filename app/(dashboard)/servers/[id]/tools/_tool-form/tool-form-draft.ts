// What was filled in, kept in the tab's session storage while the person connects an account, and
// given back once when the form opens again. A secret being typed stays out of the tab's storage:
// it is typed again after connecting.
import { z } from "zod";
import type { ToolFormDraft } from "./tool-form-state";

const draftSchema = z.object({
  name: z.string(),
  description: z.string(),
  connectionId: z.string(),
  fields: z.record(
    z.string(),
    z.object({
      mode: z.enum(["ai", "fixed", "omit"]),
      raw: z.string(),
      secret: z.boolean(),
      stored: z.enum(["none", "kept", "replacing"]),
    }),
  ),
});

const keyOf = (formPath: string) => `toolgate:tool-draft:${formPath}`;

export function saveDraft(formPath: string, draft: ToolFormDraft): void {
  const fields = Object.fromEntries(
    Object.entries(draft.fields).map(([field, state]) => [
      field,
      state.secret ? { ...state, raw: "" } : state,
    ]),
  );
  const { name, description, connectionId } = draft;
  window.sessionStorage.setItem(keyOf(formPath), JSON.stringify({ name, description, connectionId, fields }));
}

/** The draft saved for this form, if any; it is removed, so a reload starts afresh. */
export function takeDraft(formPath: string): ToolFormDraft | undefined {
  const saved = window.sessionStorage.getItem(keyOf(formPath));
  window.sessionStorage.removeItem(keyOf(formPath));
  const draft = saved ? draftSchema.safeParse(JSON.parse(saved)) : undefined;
  return draft?.success ? draft.data : undefined;
}
