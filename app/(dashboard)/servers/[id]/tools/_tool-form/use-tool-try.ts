// "Try it" in the tool editor: what a try runs and how its field choices load. Settings not
// saved yet (a new tool, or changes) run as a draft, checked by the server as saving would check
// them; a saved tool left as it is runs as saved. Settings refused (here or by the server) show
// on the settings form, as a refused save does.
import { useMemo } from "react";
import type { FieldSettings } from "@/lib/tools/field-settings";
import type { ActionResult } from "@/lib/web/server-action";
import { loadFieldOptionsAction, type TryResult, tryToolAction, tryToolDraftAction } from "../actions";
import { fieldLabel } from "../schema-fields";
import {
  type ChoicesState,
  type Errors,
  errorTarget,
  fixedRawOf,
  initialToolFormState,
  ownDescriptionOf,
  propertiesOf,
  readChoiceDependencies,
  readSettings,
  type ToolFormState,
} from "./tool-form-state";
import type { TryChoices } from "./try-tool";
import type { ToolFormProps } from "./use-tool-form";

/** A field's choices read from the account, as the form holds them. */
export async function fetchChoices(
  integration: string,
  action: string,
  field: string,
  connectionId: string,
  values: Record<string, string>,
): Promise<ChoicesState> {
  const result = await loadFieldOptionsAction({
    integration,
    action,
    field,
    connectionId: connectionId || null,
    values,
  });
  return result.ok ? { loading: false, options: result.data } : { loading: false, error: result.message };
}

/** What saving would send, to compare the form with the tool as saved. */
function savedShape(
  state: Pick<ToolFormState, "connectionId" | "name" | "description">,
  settings: FieldSettings,
) {
  return JSON.stringify([state.connectionId, state.name, state.description.trim(), settings]);
}

export function useToolTry(
  {
    serverId,
    toolId,
    app,
    action,
    initial,
  }: Pick<ToolFormProps, "serverId" | "toolId" | "app" | "action" | "initial">,
  state: ToolFormState,
  settings: FieldSettings,
  localErrors: Errors,
  refuse: (errors: Errors, message: string) => void,
) {
  const properties = propertiesOf(action);
  const saved = useMemo(() => {
    const start = initialToolFormState(action, initial);
    return savedShape(start, readSettings(properties, start.fields, start.name).settings);
  }, [action, initial, properties]);
  const unsaved = toolId === undefined || savedShape(state, settings) !== saved;

  async function run(args: Record<string, unknown>): Promise<ActionResult<TryResult>> {
    if (Object.keys(localErrors).length > 0) {
      refuse(localErrors, "Some fields need attention: see the messages below.");
      return { ok: false, message: "The tool's settings need attention first: see the messages above." };
    }
    const result =
      unsaved || toolId === undefined
        ? await tryToolDraftAction(
            serverId,
            {
              ...(toolId !== undefined && { toolId }),
              integration: app.slug,
              action: action.key,
              name: state.name,
              description: ownDescriptionOf(action, state.description),
              ...(app.authType !== "none" && { connectionId: state.connectionId || null }),
              fields: settings,
            },
            args,
          )
        : await tryToolAction(serverId, toolId, args);
    if (!result.ok) {
      const settingsErrors: Errors = {};
      for (const [key, text] of Object.entries(result.fieldErrors ?? {}))
        if (!key.startsWith("args.")) settingsErrors[errorTarget(key)] ??= text;
      if (Object.keys(settingsErrors).length > 0) refuse(settingsErrors, result.message);
    }
    return result;
  }

  const choices: TryChoices = {
    fields: action.optionsFields,
    source: state.connectionId,
    async load(field, tryValues) {
      const { values, missing } = readChoiceDependencies(
        action,
        field,
        (dependency) => fixedRawOf(state.fields, dependency) || (tryValues[dependency] ?? ""),
      );
      if (missing.length > 0) {
        const labels = missing.map((dependency) => fieldLabel(dependency, properties[dependency] ?? {}));
        return {
          loading: false,
          error: `These choices depend on ${labels.join(" and ")}: fill ${missing.length === 1 ? "it" : "them"} in first.`,
        };
      }
      return fetchChoices(app.slug, action.key, field, state.connectionId, values);
    },
  };

  return {
    run,
    choices,
    note: unsaved
      ? "It runs the settings above as they are now, without saving them."
      : "It runs the tool as saved.",
  };
}
