// The tool form's state, step by step, on real catalog actions: errors that go away as their
// control is edited, choices that go stale, the way back from connecting an account, secrets after
// a save, and what the typed values mean.
import { describe, expect, it } from "vitest";
import { type CatalogAction, describeIntegrations } from "@/lib/integrations/catalog";
import {
  dependentsOf,
  type FieldState,
  fixedRawOf,
  initialToolFormState,
  looseErrorsOf,
  ownDescriptionOf,
  propertiesOf,
  readChoiceDependencies,
  readSettings,
  type ToolFormState,
  toolFormReducer,
} from "./tool-form-state";

function catalogAction(app: string, key: string): CatalogAction {
  const found = describeIntegrations()
    .find((entry) => entry.slug === app)
    ?.actions.find((action) => action.key === key);
  if (!found) throw new Error(`no ${app}/${key} in the catalog`);
  return found;
}

const truncate = catalogAction("formatter", "truncate_text");
const airtable = catalogAction("airtable", "list_records");
const http = catalogAction("http", "request");
const fresh = { connectionId: null, name: "shorten", description: null, fields: {} };
const fixed = (raw: string, extra: Partial<FieldState> = {}): FieldState => ({
  mode: "fixed",
  raw,
  secret: false,
  stored: "none",
  ...extra,
});

describe("the tool form's state", () => {
  it("starts from the tool's settings, a sealed value kept and never on the page", () => {
    const state = initialToolFormState(http, {
      ...fresh,
      fields: { headers: { mode: "fixed", secret: true }, method: { mode: "fixed", value: "POST" } },
    });
    expect(state.fields.headers).toEqual({ mode: "fixed", raw: "", secret: true, stored: "kept" });
    expect(state.fields.method).toEqual(fixed("POST"));
    expect(state.fields.url).toMatchObject({ mode: "ai", secret: false });
    expect(state.description).toBe(http.description);
  });

  it("clears a control's error when it is edited, and the summary with the last one", () => {
    let state: ToolFormState = toolFormReducer(initialToolFormState(truncate, fresh), {
      type: "refused",
      errors: { name: "Give the tool a name.", "fields.max_length": "Enter a whole number, like 42." },
      message: "Some fields need attention: see the messages below.",
    });
    state = toolFormReducer(state, { type: "renamed", name: "shorten_text" });
    expect(state.errors).toEqual({ "fields.max_length": "Enter a whole number, like 42." });
    expect(state.message).toBeDefined();
    state = toolFormReducer(state, {
      type: "field-changed",
      field: "max_length",
      state: fixed("10"),
      dependents: [],
    });
    expect(state.errors).toEqual({});
    expect(state.message).toBeUndefined();
  });

  it("forgets the choices read for another value of a field, or for another account", () => {
    expect(dependentsOf(airtable, "base_id")).toEqual(["table"]);
    let state = initialToolFormState(airtable, fresh);
    const loaded = { loading: false, options: [{ value: "x", label: "X" }] };
    state = toolFormReducer(state, { type: "choices-changed", field: "base_id", choices: loaded });
    state = toolFormReducer(state, { type: "choices-changed", field: "table", choices: loaded });
    state = toolFormReducer(state, {
      type: "field-changed",
      field: "base_id",
      state: fixed("appOther"),
      dependents: dependentsOf(airtable, "base_id"),
    });
    expect(Object.keys(state.choices)).toEqual(["base_id"]);
    state = toolFormReducer(state, { type: "connection-chosen", connectionId: "conn_2" });
    expect(state.choices).toEqual({});
    expect(state.connectionId).toBe("conn_2");
  });

  it("comes back from connecting an account with the draft and the new account chosen", () => {
    const state = toolFormReducer(initialToolFormState(airtable, fresh), {
      type: "reopened",
      draft: {
        name: "records",
        description: "Mine",
        connectionId: "",
        fields: { base_id: fixed("appBase"), gone: fixed("from an older version of the action") },
      },
      connected: { id: "conn_new", label: "Work" },
    });
    expect(state).toMatchObject({ name: "records", description: "Mine", connectionId: "conn_new" });
    expect(state.fields.base_id).toEqual(fixed("appBase"));
    expect(state.fields).not.toHaveProperty("gone");
    expect(state.connectedNotice).toBe("Connected “Work”. This tool uses it.");
  });

  it("seals secret values once saved, and keeps no plain value as stored", () => {
    let state = initialToolFormState(http, fresh);
    state = toolFormReducer(state, {
      type: "field-changed",
      field: "headers",
      state: fixed('{"Authorization": "Bearer t"}', { secret: true }),
      dependents: [],
    });
    state = toolFormReducer(state, {
      type: "field-changed",
      field: "method",
      state: fixed("GET"),
      dependents: [],
    });
    state = toolFormReducer(state, { type: "saved" });
    expect(state.fields.headers).toEqual({ mode: "fixed", raw: "", secret: true, stored: "kept" });
    expect(state.fields.method).toEqual(fixed("GET"));
    expect(state.saved).toBe(true);
  });
});

describe("readSettings", () => {
  const properties = propertiesOf(truncate);

  it("turns what was typed into field settings, a kept secret without its value", () => {
    const { settings, localErrors } = readSettings(
      propertiesOf(http),
      {
        headers: fixed("", { secret: true, stored: "kept" }),
        method: fixed("GET"),
        body: { mode: "omit", raw: "", secret: false, stored: "none" },
      },
      "call_it",
    );
    expect(settings).toEqual({
      headers: { mode: "fixed", secret: true },
      method: { mode: "fixed", value: "GET" },
      body: { mode: "omit" },
    });
    expect(localErrors).toEqual({});
  });

  it("names what the server would refuse before asking it", () => {
    expect(readSettings(properties, { max_length: fixed("4.5") }, "").localErrors).toEqual({
      "fields.max_length": "Enter a whole number, like 42.",
      name: "Give the tool a name.",
    });
    expect(readSettings(properties, { max_length: fixed("") }, "has space").localErrors).toEqual({
      "fields.max_length": "Enter a value, or let the AI fill it.",
      name: "Use at most 64 letters, digits, '_' or '-' (no spaces or accents).",
    });
  });

  it("leaves errors that no control shows to the summary", () => {
    expect(
      looseErrorsOf({ name: "taken", "fields.text": "bad", form: "Something else went wrong." }, properties),
    ).toEqual([["form", "Something else went wrong."]]);
  });
});

describe("what the form's choices and description depend on", () => {
  it("reads a list's dependencies from the settings, or else from the try form, and names those missing", () => {
    const tables = (read: (field: string) => string) => readChoiceDependencies(airtable, "table", read);
    expect(tables(() => "")).toEqual({ values: {}, missing: ["base_id"] });
    expect(tables(() => "   ")).toEqual({ values: {}, missing: ["base_id"] });
    const fields = { base_id: fixed(" app123 ") };
    expect(tables((field) => fixedRawOf(fields, field))).toEqual({
      values: { base_id: "app123" },
      missing: [],
    });
    const tryValues: Record<string, string> = { base_id: "appFromTry" };
    const aiFilled = { base_id: { ...fixed("ignored"), mode: "ai" as const } };
    expect(tables((field) => fixedRawOf(aiFilled, field) || (tryValues[field] ?? ""))).toEqual({
      values: { base_id: "appFromTry" },
      missing: [],
    });
    expect(readChoiceDependencies(airtable, "base_id", () => "")).toEqual({ values: {}, missing: [] });
  });

  it("keeps a description of the tool's own, and follows the action's when it is empty or the same", () => {
    expect(ownDescriptionOf(truncate, "  ")).toBeNull();
    expect(ownDescriptionOf(truncate, ` ${truncate.description} `)).toBeNull();
    expect(ownDescriptionOf(truncate, " Shortens notes. ")).toBe("Shortens notes.");
  });
});
