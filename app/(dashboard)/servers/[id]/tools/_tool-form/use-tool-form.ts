// The tool form's behaviour: its state (tool-form-state.ts), what the state means, and the steps
// that talk to the server: saving the tool, loading a field's choices from the account, trying
// the tool as it stands (use-tool-try.ts), and coming back from connecting an account with what
// was filled in.

import { useRouter } from "next/navigation";
import { useEffect, useMemo, useReducer, useRef, useTransition } from "react";
import type { ConnectionStatus } from "@/lib/connections/status-words";
import type { CatalogAction } from "@/lib/integrations/catalog";
import type { FieldSettings } from "@/lib/tools/field-settings";
import { addToolAction, updateToolAction } from "../actions";
import { fieldLabel } from "../schema-fields";
import { describeFieldSettings, suggestDescription } from "./plain-words";
import type { ToolFormApp } from "./tool-form-app";
import { saveDraft, takeDraft } from "./tool-form-draft";
import {
  dependentsOf,
  type Errors,
  errorTarget,
  type FieldState,
  fixedRawOf,
  fixedValuesOf,
  initialToolFormState,
  ownDescriptionOf,
  previewTool,
  propertiesOf,
  readChoiceDependencies,
  readSettings,
  toolFormReducer,
} from "./tool-form-state";
import { fetchChoices, useToolTry } from "./use-tool-try";

export type ToolFormConnection = { id: string; label: string; status: ConnectionStatus };

export type ToolFormProps = {
  serverId: string;
  /** Set when editing an existing tool. */
  toolId?: string;
  app: ToolFormApp;
  action: CatalogAction;
  connections: ToolFormConnection[];
  initial: { connectionId: string | null; name: string; description: string | null; fields: FieldSettings };
  /** How long a try may wait for its result, in seconds. */
  waitSeconds: number;
};

export function useToolForm({ serverId, toolId, app, action, connections, initial }: ToolFormProps) {
  const router = useRouter();
  const formPath = toolId
    ? `/servers/${serverId}/tools/${toolId}`
    : `/servers/${serverId}/tools/new?app=${app.slug}&action=${action.key}`;
  const properties = propertiesOf(action);
  const [state, dispatch] = useReducer(toolFormReducer, undefined, () =>
    initialToolFormState(action, initial),
  );
  const [pending, startTransition] = useTransition();
  const alertRef = useRef<HTMLDivElement>(null);

  // Back from connecting an account: what was filled in, and the new account chosen.
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, when the form opens
  useEffect(() => {
    const connected = new URLSearchParams(window.location.search).get("connected");
    dispatch({
      type: "reopened",
      draft: takeDraft(formPath),
      connected: connections.find((connection) => connection.id === connected),
    });
  }, []);

  const { settings, localErrors } = useMemo(
    () => readSettings(properties, state.fields, state.name),
    [properties, state.fields, state.name],
  );
  const preview = useMemo(
    () => previewTool(action, state.name, state.description, settings),
    [action, state.name, state.description, settings],
  );

  function refuse(errors: Errors, message: string) {
    dispatch({ type: "refused", errors, message });
    requestAnimationFrame(() => alertRef.current?.focus());
  }

  function submit(event: React.FormEvent) {
    event.preventDefault();
    if (Object.keys(localErrors).length > 0) {
      refuse(localErrors, "Some fields need attention: see the messages below.");
      return;
    }
    const ownDescription = ownDescriptionOf(action, state.description);
    const needsAccount = app.authType !== "none";
    startTransition(async () => {
      const result = toolId
        ? await updateToolAction(serverId, toolId, {
            name: state.name,
            description: ownDescription,
            fields: settings,
            ...(needsAccount && { connectionId: state.connectionId || null }),
          })
        : await addToolAction(serverId, {
            integration: app.slug,
            action: action.key,
            name: state.name,
            ...(ownDescription !== null && { description: ownDescription }),
            fields: settings,
            ...(needsAccount && state.connectionId && { connectionId: state.connectionId }),
          });
      if (!result.ok) {
        const fieldErrors: Errors = {};
        for (const [key, text] of Object.entries(result.fieldErrors ?? {}))
          fieldErrors[errorTarget(key)] ??= text;
        refuse(fieldErrors, result.message);
        return;
      }
      dispatch({ type: "saved" });
      router.refresh();
    });
  }

  async function loadChoices(field: string) {
    const { values, missing } = readChoiceDependencies(action, field, (dependency) =>
      fixedRawOf(state.fields, dependency),
    );
    if (missing.length > 0) {
      const labels = missing.map((dependency) => fieldLabel(dependency, properties[dependency] ?? {}));
      dispatch({
        type: "choices-changed",
        field,
        choices: {
          loading: false,
          error: `These choices depend on ${labels.join(" and ")}: give ${missing.length === 1 ? "it" : "them"} a fixed value first (“Always use this value”).`,
        },
      });
      return;
    }
    dispatch({ type: "choices-changed", field, choices: { loading: true } });
    dispatch({
      type: "choices-changed",
      field,
      choices: await fetchChoices(app.slug, action.key, field, state.connectionId, values),
    });
  }

  const fixedValues = fixedValuesOf(settings);
  const tryIt = useToolTry({ serverId, toolId, app, action, initial }, state, settings, localErrors, refuse);
  return {
    tryIt,
    state,
    formPath,
    properties,
    pending,
    alertRef,
    preview,
    fixedValues,
    summary: describeFieldSettings(Object.keys(properties), settings, fixedValues),
    suggestedDescription: suggestDescription(action.description, state.description, fixedValues),
    submit,
    loadChoices,
    rename: (name: string) => dispatch({ type: "renamed", name }),
    describe: (description: string) => dispatch({ type: "described", description }),
    chooseConnection: (connectionId: string) => dispatch({ type: "connection-chosen", connectionId }),
    changeField: (field: string, next: FieldState) =>
      dispatch({ type: "field-changed", field, state: next, dependents: dependentsOf(action, field) }),
    /** Before leaving to connect an account: keep what was filled in for the way back. */
    keepDraft: () => saveDraft(formPath, state),
  };
}
