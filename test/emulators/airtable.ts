// Airtable's Web API as its reference describes it (https://airtable.com/developers/web/api/introduction):
// bearer personal access tokens, records as `{id, createdTime, fields}`, at most 10 records per
// write, and errors as `{error: {type, message}}` (`{errors: [{error, message}]}` for a 429).
import { z } from "zod";
import { bearerToken, checkBody, type EmulatedRequest, type Reply, route, startEmulator } from "./emulator";

export const airtableToken =
  "patQ7r2XoVb1nLw3e.0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
export const airtableBase = "appY3WxIBCdKPDdIa";
export const airtableTable = "tblTasks0000000001";

export function airtableError(status: number, type: string, message: string): Reply {
  return { status, json: { error: { type, message } } };
}

type Record_ = { id: string; createdTime: string; fields: Record<string, unknown> };

const fieldsSchema = z.record(z.string(), z.unknown());

export async function startAirtableEmulator() {
  const fieldTypes: Record<string, "text" | "select" | "number"> = {
    Name: "text",
    Status: "select",
    Score: "number",
  };
  const statusOptions = new Set(["Open", "Done"]);
  const records = new Map<string, Record_>([
    [
      "recA1b2C3d4E5f6G7",
      {
        id: "recA1b2C3d4E5f6G7",
        createdTime: "2026-01-05T10:00:00.000Z",
        fields: { Name: "Call Bob", Status: "Open", Score: 4 },
      },
    ],
    [
      "recH8i9J0k1L2m3N4",
      {
        id: "recH8i9J0k1L2m3N4",
        createdTime: "2026-01-06T10:00:00.000Z",
        fields: { Name: "File taxes", Status: "Done", Score: 2 },
      },
    ],
  ]);
  let nextId = 1000;

  function findTable(params: Record<string, string>): Reply | undefined {
    if (params.base !== airtableBase)
      return airtableError(
        403,
        "INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND",
        "Invalid permissions, or the requested model was not found. Check that both your user and your token have the required permissions, and that the model names and/or ids are correct.",
      );
    if (params.table !== airtableTable && params.table !== "Tasks")
      return airtableError(
        404,
        "TABLE_NOT_FOUND",
        `Could not find table ${params.table} in application ${params.base}`,
      );
    return undefined;
  }

  /** Checks field values; returns the error reply, or undefined after applying typecast. */
  function checkFields(fields: Record<string, unknown>, typecast: boolean): Reply | undefined {
    for (const [name, value] of Object.entries(fields)) {
      const type = fieldTypes[name];
      if (!type) return airtableError(422, "UNKNOWN_FIELD_NAME", `Unknown field name: "${name}"`);
      if (type === "select" && typeof value === "string" && !statusOptions.has(value)) {
        if (!typecast)
          return airtableError(
            422,
            "INVALID_MULTIPLE_CHOICE_OPTIONS",
            `Insufficient permissions to create new select option ""${value}""`,
          );
        statusOptions.add(value);
      }
      if (type === "number" && typeof value !== "number") {
        if (!typecast || Number.isNaN(Number(value)))
          return airtableError(
            422,
            "INVALID_VALUE_FOR_COLUMN",
            `Field "${name}" cannot accept the provided value`,
          );
        fields[name] = Number(value);
      }
    }
    return undefined;
  }

  function requireJson(request: EmulatedRequest): Reply | undefined {
    return request.contentType.startsWith("application/json")
      ? undefined
      : airtableError(415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json");
  }

  function matchesFormula(record: Record_, formula: string): boolean | Reply {
    const referenced = [...formula.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] ?? "");
    const unknown = referenced.filter((name) => !fieldTypes[name]);
    if (unknown.length > 0)
      return airtableError(
        422,
        "INVALID_FILTER_BY_FORMULA",
        `The formula for filtering records is invalid: Unknown field names: ${unknown.join(", ")}`,
      );
    const equals = /^\{([^}]+)\}\s*=\s*'([^']*)'$/.exec(formula.trim());
    return equals ? record.fields[equals[1] ?? ""] === equals[2] : true;
  }

  return startEmulator({
    name: "airtable",
    authenticate: (request) =>
      bearerToken(request) === airtableToken
        ? undefined
        : airtableError(401, "AUTHENTICATION_REQUIRED", "Authentication required"),
    notFound: () => ({ status: 404, json: { error: "NOT_FOUND" } }),
    routes: [
      route("GET", "/v0/meta/whoami", () => ({
        json: {
          id: "usrL2PNC5o3H4lBEi",
          scopes: ["data.records:read", "data.records:write"],
          email: "ada@example.com",
        },
      })),
      route("GET", "/v0/meta/bases", () => ({
        json: {
          bases: [
            { id: airtableBase, name: "Project Tracker", permissionLevel: "create" },
            { id: "appSW9R5uCNmRmfl6", name: "Apartment Hunting", permissionLevel: "read" },
          ],
        },
      })),
      // Get base schema: https://airtable.com/developers/web/api/get-base-schema
      route("GET", "/v0/meta/bases/:base/tables", (_request, params) => {
        if (params.base !== airtableBase)
          return airtableError(
            403,
            "INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND",
            "Invalid permissions, or the requested model was not found. Check that both your user and your token have the required permissions, and that the model names and/or ids are correct.",
          );
        return {
          json: {
            tables: [
              {
                id: airtableTable,
                name: "Tasks",
                primaryFieldId: "fldName0000000001",
                fields: Object.entries(fieldTypes).map(([name, type], index) => ({
                  id: `fld${name}000000000${index}`,
                  name,
                  type: { text: "singleLineText", select: "singleSelect", number: "number" }[type],
                })),
                views: [{ id: "viwGrid0000000001", name: "Grid view", type: "grid" }],
              },
              {
                id: "tblPeople000000001",
                name: "People",
                primaryFieldId: "fldPerson00000001",
                fields: [],
                views: [],
              },
            ],
          },
        };
      }),
      route("GET", "/v0/:base/:table", (request, params) => {
        const missing = findTable(params);
        if (missing) return missing;
        const pageSize = Number(request.query.get("pageSize") ?? 100);
        if (!(pageSize >= 1 && pageSize <= 100))
          return airtableError(
            422,
            "INVALID_REQUEST_UNKNOWN",
            "Invalid request: parameter validation failed. Check your request data.",
          );
        const maxRecords = Number(request.query.get("maxRecords") ?? Number.POSITIVE_INFINITY);
        const formula = request.query.get("filterByFormula");
        const wanted = request.query.getAll("fields[]");
        const results: Record_[] = [];
        for (const item of records.values()) {
          const matched = formula ? matchesFormula(item, formula) : true;
          if (typeof matched === "object") return matched;
          if (!matched) continue;
          results.push(
            wanted.length > 0
              ? {
                  ...item,
                  fields: Object.fromEntries(
                    Object.entries(item.fields).filter(([name]) => wanted.includes(name)),
                  ),
                }
              : item,
          );
        }
        if (request.query.get("sort[0][field]") === "Score")
          results.sort(
            (a, b) =>
              (request.query.get("sort[0][direction]") === "desc" ? -1 : 1) *
              (Number(a.fields.Score) - Number(b.fields.Score)),
          );
        return { json: { records: results.slice(0, Math.min(pageSize, maxRecords)) } };
      }),
      route("POST", "/v0/:base/:table", (request, params) => {
        const missing = findTable(params) ?? requireJson(request);
        if (missing) return missing;
        const checked = checkBody(
          request,
          z.object({
            records: z
              .array(z.object({ fields: fieldsSchema }))
              .min(1)
              .max(10),
            typecast: z.boolean().optional(),
          }),
          (problem) => airtableError(422, "INVALID_RECORDS", `Invalid records: ${problem}`),
        );
        if (!checked.ok) return checked.reply;
        for (const item of checked.body.records) {
          const refused = checkFields(item.fields, checked.body.typecast === true);
          if (refused) return refused;
        }
        const created = checked.body.records.map((item) => {
          const id = `recNEW${String(nextId++).padStart(11, "0")}`;
          const stored = { id, createdTime: "2026-03-02T09:15:00.000Z", fields: item.fields };
          records.set(id, stored);
          return stored;
        });
        return { json: { records: created } };
      }),
      route("GET", "/v0/:base/:table/:record", (_request, params) => {
        const missing = findTable(params);
        if (missing) return missing;
        const found = records.get(params.record ?? "");
        return found ? { json: found } : { status: 404, json: { error: "NOT_FOUND" } };
      }),
      route("PATCH", "/v0/:base/:table/:record", (request, params) => {
        const missing = findTable(params) ?? requireJson(request);
        if (missing) return missing;
        const found = records.get(params.record ?? "");
        if (!found) return { status: 404, json: { error: "NOT_FOUND" } };
        const checked = checkBody(
          request,
          z.object({ fields: fieldsSchema, typecast: z.boolean().optional() }),
          (problem) =>
            airtableError(
              422,
              "INVALID_REQUEST_MISSING_FIELDS",
              `Could not find field "fields" in the request body: ${problem}`,
            ),
        );
        if (!checked.ok) return checked.reply;
        const refused = checkFields(checked.body.fields, checked.body.typecast === true);
        if (refused) return refused;
        found.fields = { ...found.fields, ...checked.body.fields };
        return { json: found };
      }),
      route("DELETE", "/v0/:base/:table/:record", (_request, params) => {
        const missing = findTable(params);
        if (missing) return missing;
        if (!records.delete(params.record ?? "")) return { status: 404, json: { error: "NOT_FOUND" } };
        return { json: { id: params.record, deleted: true } };
      }),
    ],
  });
}
