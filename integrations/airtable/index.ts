// Airtable, through its Web API (https://airtable.com/developers/web/api/introduction): records of a
// base's tables, with a personal access token (airtable.com/create/tokens) as the bearer token.
import { z } from "zod";
import {
  actionFor,
  apiKeyAuth,
  defineIntegration,
  externalCreate,
  externalDelete,
  externalRead,
  externalUpdate,
  type KeyCredentials,
  type OptionsLoader,
  type OptionsSource,
} from "@/integrations/sdk/define";

type Auth = KeyCredentials<"access_token">;
const defineAction = actionFor<Auth>();

const record = z
  .object({ id: z.string(), createdTime: z.string().optional(), fields: z.record(z.string(), z.unknown()) })
  .passthrough();
type AirtableRecord = z.infer<typeof record>;

const baseOptions: OptionsLoader<Auth> = async ({ http }) => {
  const bases = await http.request<{ bases: Array<{ id: string; name: string }> }>("/v0/meta/bases");
  return bases.bases.map((base) => ({ value: base.id, label: base.name }));
};

/** The chosen base's tables (its schema; the token needs the schema.bases:read scope). */
const tableOptions: OptionsSource<Auth> = {
  dependsOn: ["base_id"],
  load: async ({ http, values }) => {
    const schema = await http.request<{ tables: Array<{ id: string; name: string }> }>(
      `/v0/meta/bases/${encodeURIComponent(values.base_id ?? "")}/tables`,
    );
    return schema.tables.map((table) => ({ value: table.id, label: table.name }));
  },
};

const baseId = z.string().min(1).describe("The base's id (\"app…\", in the base's URL).");
const table = z.string().min(1).describe('The table\'s id ("tbl…") or its name.');
const recordId = z.string().min(1).describe('The record\'s id ("rec…").');
const fields = z
  .record(z.string(), z.unknown())
  .describe('Field values by field name, e.g. {"Name": "Ada", "Status": "Done", "Tags": ["vip"]}.');
const typecast = z
  .boolean()
  .default(false)
  .describe(
    "Let Airtable convert values (text to select options, dates...), creating select options as needed.",
  );

const tablePath = (base: string, tableName: string) =>
  `/v0/${encodeURIComponent(base)}/${encodeURIComponent(tableName)}`;

const listRecords = defineAction({
  key: "list_records",
  title: "List records",
  description: "List the records of an Airtable table, optionally filtered by a formula, in a view's order.",
  input: z.object({
    base_id: baseId,
    table,
    filter_by_formula: z
      .string()
      .optional()
      .describe(
        "An Airtable formula; only records where it is true, e.g. \"AND({Status} = 'Open', {Score} > 3)\".",
      ),
    view: z.string().optional().describe("A view's name or id: only its records, in its order."),
    fields: z.array(z.string()).optional().describe("Only these fields (all when left out)."),
    sort: z
      .array(
        z.object({
          field: z.string().describe("The field to sort by."),
          direction: z.enum(["asc", "desc"]).default("asc").describe("The order."),
        }),
      )
      .optional()
      .describe("Sort order, first entry first (overrides the view's)."),
    max_records: z.number().int().min(1).max(100).default(50).describe("At most this many records."),
    offset: z.string().optional().describe("The offset of a previous call, for the next records."),
  }),
  output: z.object({ records: z.array(record), offset: z.string().optional() }),
  annotations: externalRead,
  options: { base_id: baseOptions, table: tableOptions },
  run: async ({ input, http }) => {
    const query: Record<string, string | number | string[] | undefined> = {
      filterByFormula: input.filter_by_formula,
      view: input.view,
      "fields[]": input.fields,
      maxRecords: input.max_records,
      pageSize: input.max_records,
      offset: input.offset,
    };
    for (const [index, entry] of (input.sort ?? []).entries()) {
      query[`sort[${index}][field]`] = entry.field;
      query[`sort[${index}][direction]`] = entry.direction;
    }
    const page = await http.request<{ records: AirtableRecord[]; offset?: string }>(
      tablePath(input.base_id, input.table),
      { query },
    );
    return { records: page.records, ...(page.offset && { offset: page.offset }) };
  },
});

const createRecords = defineAction({
  key: "create_records",
  title: "Create records",
  description: "Add up to 10 records to an Airtable table.",
  input: z.object({
    base_id: baseId,
    table,
    records: z
      .array(z.object({ fields }))
      .min(1)
      .max(10)
      .describe('The new records (1 to 10), each as {"fields": {...}}.'),
    typecast,
  }),
  output: z.object({ records: z.array(record) }),
  annotations: externalCreate,
  options: { base_id: baseOptions, table: tableOptions },
  run: async ({ input, http }) =>
    http.request<{ records: AirtableRecord[] }>(tablePath(input.base_id, input.table), {
      method: "POST",
      json: { records: input.records, ...(input.typecast && { typecast: true }) },
    }),
});

const updateRecord = defineAction({
  key: "update_record",
  title: "Update record",
  description: "Change some fields of an Airtable record; the fields left out keep their values.",
  input: z.object({ base_id: baseId, table, record_id: recordId, fields, typecast }),
  output: record,
  annotations: externalUpdate,
  options: { base_id: baseOptions, table: tableOptions },
  run: async ({ input, http }) =>
    http.request<AirtableRecord>(
      `${tablePath(input.base_id, input.table)}/${encodeURIComponent(input.record_id)}`,
      {
        method: "PATCH",
        json: { fields: input.fields, ...(input.typecast && { typecast: true }) },
      },
    ),
});

const getRecord = defineAction({
  key: "get_record",
  title: "Get record",
  description: "Read one Airtable record by its id.",
  input: z.object({ base_id: baseId, table, record_id: recordId }),
  output: record,
  annotations: externalRead,
  options: { base_id: baseOptions, table: tableOptions },
  run: async ({ input, http }) =>
    http.request<AirtableRecord>(
      `${tablePath(input.base_id, input.table)}/${encodeURIComponent(input.record_id)}`,
    ),
});

const deleteRecord = defineAction({
  key: "delete_record",
  title: "Delete record",
  description: "Delete an Airtable record.",
  input: z.object({ base_id: baseId, table, record_id: recordId }),
  output: z.object({ id: z.string(), deleted: z.boolean() }),
  annotations: externalDelete,
  options: { base_id: baseOptions, table: tableOptions },
  run: async ({ input, http }) =>
    http.request<{ id: string; deleted: boolean }>(
      `${tablePath(input.base_id, input.table)}/${encodeURIComponent(input.record_id)}`,
      { method: "DELETE" },
    ),
});

export default defineIntegration<Auth>({
  slug: "airtable",
  name: "Airtable",
  description: "Records in Airtable bases.",
  category: "Productivity",
  auth: apiKeyAuth([
    {
      name: "access_token",
      label: "Personal access token",
      secret: true,
      help: "airtable.com/create/tokens → Create token, with the scopes data.records:read, data.records:write and schema.bases:read, and access to the bases to use.",
    },
  ]),
  api: {
    baseUrl: "https://api.airtable.com",
    baseUrlSetting: "AIRTABLE_API_URL",
    headers: (auth) => ({ authorization: `Bearer ${auth.access_token}` }),
    // Errors come as {error: {type, message}}, {error: "NOT_FOUND"} or {errors: [{error, message}]}.
    describeError: (body) => {
      const error = (body as { error?: unknown } | undefined)?.error;
      if (error && typeof error === "object") {
        const { type, message } = error as { type?: string; message?: string };
        if (message) return type ? `${message} (${type})` : message;
      }
      return undefined;
    },
  },
  test: async ({ http }) => {
    const me = await http.request<{ id: string; email?: string }>("/v0/meta/whoami");
    return { account: me.email ?? me.id };
  },
  actions: [listRecords, createRecords, updateRecord, getRecord, deleteRecord],
});
