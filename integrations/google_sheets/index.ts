// Google Sheets, through the Sheets API v4 (https://developers.google.com/sheets/api/reference/rest):
// append rows, read and write ranges in A1 notation, create spreadsheets. The list of
// spreadsheets to choose from and the connection test come from the Drive API v3
// (https://developers.google.com/drive/api/reference/rest/v3/files/list), on www.googleapis.com.
import { z } from "zod";
import {
  defineIntegration,
  externalCreate,
  externalDelete,
  externalRead,
  type OptionsLoader,
  type OptionsSource,
} from "@/integrations/sdk/define";
import { type GoogleAuth, googleActionFor, googleApi, googleOptions, onGoogleHost } from "../google/api";
import { googleOAuth } from "../google/oauth";

const defineAction = googleActionFor();
const sheetsBaseUrl = "https://sheets.googleapis.com";
const driveBaseUrl = "https://www.googleapis.com";

const spreadsheetPath = (id: string) => `/v4/spreadsheets/${encodeURIComponent(id)}`;
const valuesPath = (id: string, range: string) =>
  `${spreadsheetPath(id)}/values/${encodeURIComponent(range)}`;

const spreadsheetOptions: OptionsLoader<GoogleAuth> = googleOptions(async ({ http }) => {
  const list = await http.request<{ files?: Array<{ id: string; name: string }> }>(
    onGoogleHost(http, sheetsBaseUrl, driveBaseUrl, "/drive/v3/files"),
    {
      query: {
        q: "mimeType = 'application/vnd.google-apps.spreadsheet' and trashed = false",
        fields: "files(id,name)",
        orderBy: "modifiedTime desc",
        pageSize: 100,
        supportsAllDrives: true,
        includeItemsFromAllDrives: true,
      },
    },
  );
  return (list.files ?? []).map((file) => ({ value: file.id, label: file.name }));
});

/** A tab's name as an A1 range for the whole tab: quoted unless it is letters, digits and _. */
export function wholeTabRange(title: string): string {
  return /^[A-Za-z0-9_]+$/.test(title) ? title : `'${title.replace(/'/g, "''")}'`;
}

/** The chosen spreadsheet's tabs, each as the range of the whole tab. */
const tabOptions: OptionsSource<GoogleAuth> = {
  dependsOn: ["spreadsheet_id"],
  load: async ({ http, values }) => {
    const spreadsheet = await http.request<{ sheets?: Array<{ properties?: { title?: string } }> }>(
      spreadsheetPath(values.spreadsheet_id ?? ""),
      { query: { fields: "sheets.properties.title" } },
    );
    return (spreadsheet.sheets ?? []).flatMap(({ properties }) =>
      properties?.title ? [{ value: wholeTabRange(properties.title), label: properties.title }] : [],
    );
  },
};

const spreadsheetId = z
  .string()
  .min(1)
  .describe("The spreadsheet's id: the part of its URL between /d/ and /edit.");

const range = (what: string) =>
  z
    .string()
    .min(1)
    .describe(`${what}, in A1 notation: "Sheet1" (a whole tab), "Sheet1!A1:D10", "'My tab'!B:B".`);

const cell = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const valueInputOption = z
  .enum(["USER_ENTERED", "RAW"])
  .default("USER_ENTERED")
  .describe('"USER_ENTERED": read as if typed (formulas run, "3/4" becomes a date); "RAW": stored as given.');

type UpdateValuesResponse = {
  spreadsheetId: string;
  updatedRange?: string;
  updatedRows?: number;
  updatedColumns?: number;
  updatedCells?: number;
};

const updated = z.object({
  spreadsheet_id: z.string(),
  updated_range: z.string().optional(),
  updated_rows: z.number().optional(),
  updated_columns: z.number().optional(),
  updated_cells: z.number().optional(),
});

function trimUpdate(response: UpdateValuesResponse): z.infer<typeof updated> {
  return {
    spreadsheet_id: response.spreadsheetId,
    ...(response.updatedRange && { updated_range: response.updatedRange }),
    ...(response.updatedRows !== undefined && { updated_rows: response.updatedRows }),
    ...(response.updatedColumns !== undefined && { updated_columns: response.updatedColumns }),
    ...(response.updatedCells !== undefined && { updated_cells: response.updatedCells }),
  };
}

const appendRow = defineAction({
  key: "append_row",
  title: "Append row",
  description:
    "Add a row after the last row of a table in a sheet (a log, a list of leads): the values go into the table's columns from its first one.",
  input: z.object({
    spreadsheet_id: spreadsheetId,
    range: range("The tab (or the range of the table) to append to"),
    values: z
      .array(cell)
      .min(1)
      .describe('The row\'s cells, left to right: text, numbers, true/false, or "=formulas".'),
    value_input_option: valueInputOption,
    insert_data_option: z
      .enum(["INSERT_ROWS", "OVERWRITE"])
      .default("INSERT_ROWS")
      .describe('"INSERT_ROWS" inserts a new row; "OVERWRITE" writes into the empty row after the table.'),
  }),
  output: updated.extend({ table_range: z.string().optional() }),
  annotations: externalCreate,
  options: { spreadsheet_id: spreadsheetOptions, range: tabOptions },
  run: async ({ input, http }) => {
    const answer = await http.request<{
      spreadsheetId: string;
      tableRange?: string;
      updates: UpdateValuesResponse;
    }>(`${valuesPath(input.spreadsheet_id, input.range)}:append`, {
      method: "POST",
      query: { valueInputOption: input.value_input_option, insertDataOption: input.insert_data_option },
      json: { majorDimension: "ROWS", values: [input.values] },
    });
    return { ...trimUpdate(answer.updates), ...(answer.tableRange && { table_range: answer.tableRange }) };
  },
});

const getValues = defineAction({
  key: "get_values",
  title: "Get values",
  description:
    "Read the cells of a range (or a whole tab) as rows of values; trailing empty rows and cells are left out.",
  input: z.object({
    spreadsheet_id: spreadsheetId,
    range: range("The cells to read"),
    value_render_option: z
      .enum(["FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA"])
      .default("FORMATTED_VALUE")
      .describe(
        '"FORMATTED_VALUE" as shown ("$1.50"), "UNFORMATTED_VALUE" raw numbers, "FORMULA" the formulas.',
      ),
    major_dimension: z
      .enum(["ROWS", "COLUMNS"])
      .default("ROWS")
      .describe('"ROWS": a list of rows; "COLUMNS": a list of columns.'),
  }),
  output: z.object({
    range: z.string(),
    major_dimension: z.string(),
    values: z.array(z.array(z.unknown())),
  }),
  annotations: externalRead,
  options: { spreadsheet_id: spreadsheetOptions, range: tabOptions },
  run: async ({ input, http }) => {
    const answer = await http.request<{ range: string; majorDimension?: string; values?: unknown[][] }>(
      valuesPath(input.spreadsheet_id, input.range),
      { query: { valueRenderOption: input.value_render_option, majorDimension: input.major_dimension } },
    );
    return {
      range: answer.range,
      major_dimension: answer.majorDimension ?? input.major_dimension,
      values: answer.values ?? [],
    };
  },
});

const updateValues = defineAction({
  key: "update_values",
  title: "Update values",
  description:
    'Write rows of values into a range, starting at its top-left cell, replacing what those cells held (null leaves a cell as it is; "" empties it).',
  input: z.object({
    spreadsheet_id: spreadsheetId,
    range: range("Where to write (its top-left cell is where the first value goes)"),
    values: z.array(z.array(cell)).min(1).describe("Rows of cells, top to bottom, each left to right."),
    value_input_option: valueInputOption,
  }),
  output: updated,
  annotations: externalDelete,
  options: { spreadsheet_id: spreadsheetOptions, range: tabOptions },
  run: async ({ input, http }) =>
    trimUpdate(
      await http.request<UpdateValuesResponse>(valuesPath(input.spreadsheet_id, input.range), {
        method: "PUT",
        query: { valueInputOption: input.value_input_option },
        json: { range: input.range, majorDimension: "ROWS", values: input.values },
      }),
    ),
});

type Spreadsheet = {
  spreadsheetId: string;
  spreadsheetUrl?: string;
  properties?: { title?: string };
  sheets?: Array<{
    properties?: {
      sheetId?: number;
      title?: string;
      gridProperties?: { rowCount?: number; columnCount?: number };
    };
  }>;
};

const spreadsheetOutput = z.object({
  spreadsheet_id: z.string(),
  title: z.string().optional(),
  url: z.string().optional(),
  sheets: z.array(
    z.object({
      sheet_id: z.number().optional(),
      title: z.string().optional(),
      rows: z.number().optional(),
      columns: z.number().optional(),
    }),
  ),
});

function trimSpreadsheet(spreadsheet: Spreadsheet): z.infer<typeof spreadsheetOutput> {
  return {
    spreadsheet_id: spreadsheet.spreadsheetId,
    ...(spreadsheet.properties?.title && { title: spreadsheet.properties.title }),
    ...(spreadsheet.spreadsheetUrl && { url: spreadsheet.spreadsheetUrl }),
    sheets: (spreadsheet.sheets ?? []).map(({ properties = {} }) => ({
      ...(properties.sheetId !== undefined && { sheet_id: properties.sheetId }),
      ...(properties.title && { title: properties.title }),
      ...(properties.gridProperties?.rowCount !== undefined && { rows: properties.gridProperties.rowCount }),
      ...(properties.gridProperties?.columnCount !== undefined && {
        columns: properties.gridProperties.columnCount,
      }),
    })),
  };
}

const getSpreadsheet = defineAction({
  key: "get_spreadsheet",
  title: "Get spreadsheet",
  description:
    "A spreadsheet's title, link and tabs (names and sizes), to know which ranges to read or write.",
  input: z.object({ spreadsheet_id: spreadsheetId }),
  output: spreadsheetOutput,
  annotations: externalRead,
  options: { spreadsheet_id: spreadsheetOptions },
  run: async ({ input, http }) =>
    trimSpreadsheet(
      await http.request<Spreadsheet>(spreadsheetPath(input.spreadsheet_id), {
        query: {
          fields:
            "spreadsheetId,spreadsheetUrl,properties.title,sheets.properties(sheetId,title,gridProperties)",
        },
      }),
    ),
});

const createSpreadsheet = defineAction({
  key: "create_spreadsheet",
  title: "Create spreadsheet",
  description: "Create a new Google Sheets spreadsheet, optionally with named tabs.",
  input: z.object({
    title: z.string().min(1).describe("The spreadsheet's title."),
    sheet_titles: z
      .array(z.string().min(1))
      .optional()
      .describe(
        'Names of its tabs, in order; one tab named "Sheet1" (in the account\'s language) when left out.',
      ),
  }),
  output: spreadsheetOutput,
  annotations: externalCreate,
  run: async ({ input, http }) =>
    trimSpreadsheet(
      await http.request<Spreadsheet>("/v4/spreadsheets", {
        method: "POST",
        json: {
          properties: { title: input.title },
          ...(input.sheet_titles && {
            sheets: input.sheet_titles.map((title) => ({ properties: { title } })),
          }),
        },
      }),
    ),
});

export default defineIntegration<GoogleAuth>({
  slug: "google_sheets",
  name: "Google Sheets",
  description: "Append rows, read and write cells, and create spreadsheets in Google Sheets.",
  category: "Spreadsheets",
  // spreadsheets: read and write every spreadsheet; drive.metadata.readonly: list them (for the
  // spreadsheet picker) and name the account (Sheets itself has no "who am I").
  auth: googleOAuth([
    "https://www.googleapis.com/auth/spreadsheets",
    "https://www.googleapis.com/auth/drive.metadata.readonly",
  ]),
  // GOOGLE_SHEETS_API_URL is the natural name, but the platform's setting names allow no
  // underscore before _API_URL (see env.ts); hence GOOGLE_SHEETS_API_URL. When it is set, the
  // Drive calls go to it as well.
  api: { ...googleApi(sheetsBaseUrl, "GOOGLE_SHEETS_API_URL"), otherBaseUrls: [`${driveBaseUrl}/drive/v3`] },
  test: async ({ http }) => {
    const about = await http.request<{ user?: { emailAddress?: string; displayName?: string } }>(
      onGoogleHost(http, sheetsBaseUrl, driveBaseUrl, "/drive/v3/about"),
      { query: { fields: "user(displayName,emailAddress)" } },
    );
    return { account: about.user?.emailAddress ?? about.user?.displayName };
  },
  actions: [appendRow, getValues, updateValues, getSpreadsheet, createSpreadsheet],
});
