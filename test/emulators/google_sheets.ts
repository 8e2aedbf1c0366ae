// The Google Sheets API v4 as its reference describes it
// (https://developers.google.com/sheets/api/reference/rest): spreadsheets.create and get, and
// values get, update (PUT) and append, with A1 ranges, valueInputOption required on writes, and
// Sheets' trimming of empty trailing cells; plus the two Drive v3 reads the app makes (about, and
// files.list of spreadsheets), served on the same host as when GOOGLE_SHEETS_API_URL is set.
import { z } from "zod";
import { checkBody, type EmulatedRequest, type Reply, route } from "./emulator";
import { googleError, requireJson, startGoogleEmulator } from "./google";

type Cell = string | number | boolean;
type Sheet = { sheetId: number; title: string; rows: Cell[][] };
type Spreadsheet = { spreadsheetId: string; title: string; sheets: Sheet[] };
/** `cell`: the range is one cell, which a write takes as its starting point, not a bound. */
type Region = { sheet: Sheet; top: number; left: number; bottom?: number; right?: number; cell?: boolean };

const gridRows = 1000;
const gridColumns = 26;

const columnIndex = (letters: string) =>
  [...letters.toUpperCase()].reduce((total, letter) => total * 26 + letter.charCodeAt(0) - 64, 0) - 1;
const columnLetters = (index: number): string =>
  index < 26
    ? String.fromCharCode(65 + index)
    : columnLetters(Math.floor(index / 26) - 1) + columnLetters(index % 26);
const quoteTitle = (title: string) =>
  /^[A-Za-z0-9_]+$/.test(title) ? title : `'${title.replace(/'/g, "''")}'`;
const a1 = (region: Required<Omit<Region, "sheet" | "cell">> & { sheet: Sheet }) =>
  `${quoteTitle(region.sheet.title)}!${columnLetters(region.left)}${region.top + 1}:${columnLetters(region.right)}${region.bottom + 1}`;

/** An A1 range ("Sheet1", "Sheet1!A1:C3", "'My tab'!B:B", "A1:B2") on a spreadsheet. */
function parseRange(spreadsheet: Spreadsheet, range: string): Region | undefined {
  const bang = range.lastIndexOf("!");
  let title: string | undefined;
  let cells = "";
  if (bang >= 0) {
    title = range.slice(0, bang);
    cells = range.slice(bang + 1);
    if (/^'.*'$/.test(title)) title = title.slice(1, -1).replace(/''/g, "'");
  } else if (spreadsheet.sheets.some((sheet) => sheet.title === range.replace(/^'(.*)'$/, "$1"))) {
    title = range.replace(/^'(.*)'$/, "$1");
  } else cells = range;
  const sheet =
    title === undefined ? spreadsheet.sheets[0] : spreadsheet.sheets.find((entry) => entry.title === title);
  if (!sheet) return undefined;
  if (cells === "") return { sheet, top: 0, left: 0 };
  const match = /^([A-Z]*)(\d*)(?::([A-Z]*)(\d*))?$/i.exec(cells);
  if (!match || (!match[1] && !match[2])) return undefined;
  const [, startColumn, startRow, endColumn, endRow] = match;
  const single = match[3] === undefined && match[4] === undefined;
  return {
    sheet,
    top: startRow ? Number(startRow) - 1 : 0,
    left: startColumn ? columnIndex(startColumn) : 0,
    ...(single && startRow && startColumn
      ? { bottom: Number(startRow) - 1, right: columnIndex(startColumn), cell: true }
      : {
          ...(endRow && { bottom: Number(endRow) - 1 }),
          ...(endColumn && { right: columnIndex(endColumn) }),
        }),
  };
}

const unparsable = (range: string) => googleError(400, `Unable to parse range: ${range}`);

/** USER_ENTERED reads "42" as a number and "TRUE" as a boolean, as typing it would. */
const entered = (value: Cell, option: string): Cell =>
  option === "USER_ENTERED" && typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value)
    ? Number(value)
    : option === "USER_ENTERED" && typeof value === "string" && /^(TRUE|FALSE)$/i.test(value)
      ? value.toUpperCase() === "TRUE"
      : value;

const rendered = (value: Cell, option: string): Cell =>
  option === "FORMATTED_VALUE"
    ? typeof value === "boolean"
      ? value
        ? "TRUE"
        : "FALSE"
      : String(value)
    : value;

function requireValueInputOption(request: EmulatedRequest): Reply | undefined {
  const option = request.query.get("valueInputOption");
  if (!option) return googleError(400, "'valueInputOption' is required but not specified");
  if (option !== "RAW" && option !== "USER_ENTERED")
    return googleError(400, `Invalid value at 'value_input_option' (${option})`);
  return undefined;
}

const valueRange = z.object({
  range: z.string().optional(),
  majorDimension: z.enum(["ROWS", "COLUMNS"]).optional(),
  values: z.array(z.array(z.union([z.string(), z.number(), z.boolean(), z.null()]))),
});

function write(region: Region, values: Array<Array<Cell | null>>, option: string) {
  let columns = 0;
  let cells = 0;
  values.forEach((row, rowOffset) => {
    const target = region.top + rowOffset;
    while (region.sheet.rows.length <= target) region.sheet.rows.push([]);
    const line = region.sheet.rows[target]!;
    row.forEach((value, columnOffset) => {
      if (value === null) return;
      const column = region.left + columnOffset;
      while (line.length <= column) line.push("");
      line[column] = entered(value, option);
      cells++;
    });
    columns = Math.max(columns, row.length);
  });
  return {
    updatedRange: a1({
      sheet: region.sheet,
      top: region.top,
      left: region.left,
      bottom: region.top + values.length - 1,
      right: region.left + Math.max(columns, 1) - 1,
    }),
    updatedRows: values.length,
    updatedColumns: columns,
    updatedCells: cells,
  };
}

const isEmpty = (row: Cell[] | undefined) => !row || row.every((value) => value === "");

export async function startGoogleSheetsEmulator() {
  const spreadsheets = new Map<string, Spreadsheet>();
  const leads: Spreadsheet = {
    spreadsheetId: "1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms",
    title: "Leads",
    sheets: [
      {
        sheetId: 0,
        title: "Sheet1",
        rows: [
          ["Name", "Email", "Score"],
          ["Ada", "ada@example.com", 42],
        ],
      },
      { sheetId: 1717, title: "Q1 2026", rows: [] },
    ],
  };
  spreadsheets.set(leads.spreadsheetId, leads);
  let nextId = 1;

  const resource = (spreadsheet: Spreadsheet) => ({
    spreadsheetId: spreadsheet.spreadsheetId,
    properties: {
      title: spreadsheet.title,
      locale: "en_US",
      autoRecalc: "ON_CHANGE",
      timeZone: "Europe/Paris",
    },
    sheets: spreadsheet.sheets.map((sheet, index) => ({
      properties: {
        sheetId: sheet.sheetId,
        title: sheet.title,
        index,
        sheetType: "GRID",
        gridProperties: { rowCount: gridRows, columnCount: gridColumns },
      },
    })),
    spreadsheetUrl: `https://docs.google.com/spreadsheets/d/${spreadsheet.spreadsheetId}/edit`,
  });

  const lookup = (id: string | undefined): Spreadsheet | Reply =>
    spreadsheets.get(id ?? "") ?? googleError(404, "Requested entity was not found.");

  return startGoogleEmulator({
    name: "google_sheets",
    routes: [
      route("POST", "/v4/spreadsheets", (request) => {
        const wrongType = requireJson(request);
        if (wrongType) return wrongType;
        const checked = checkBody(
          request,
          z.object({
            properties: z.object({ title: z.string() }).passthrough().optional(),
            sheets: z
              .array(z.object({ properties: z.object({ title: z.string().min(1) }).passthrough() }))
              .optional(),
          }),
          (problem) => googleError(400, `Invalid JSON payload received. ${problem}`),
        );
        if (!checked.ok) return checked.reply;
        const titles = checked.body.sheets?.map((sheet) => sheet.properties.title) ?? ["Sheet1"];
        if (new Set(titles).size !== titles.length)
          return googleError(
            400,
            `Invalid requests[0].addSheet: A sheet with the name "${titles[0]}" already exists.`,
          );
        const spreadsheet: Spreadsheet = {
          spreadsheetId: `1Em${String(nextId++).padStart(4, "0")}SheetsEmulatedIdAbCdEfGhIjKlMnOp`,
          title: checked.body.properties?.title || "Untitled spreadsheet",
          sheets: titles.map((title, index) => ({ sheetId: index === 0 ? 0 : 100 + index, title, rows: [] })),
        };
        spreadsheets.set(spreadsheet.spreadsheetId, spreadsheet);
        return { json: resource(spreadsheet) };
      }),
      route("GET", "/v4/spreadsheets/:id", (_request, params) => {
        const spreadsheet = lookup(params.id);
        return "spreadsheetId" in spreadsheet ? { json: resource(spreadsheet) } : spreadsheet;
      }),
      route("GET", "/v4/spreadsheets/:id/values/:range", (request, params) => {
        const spreadsheet = lookup(params.id);
        if (!("spreadsheetId" in spreadsheet)) return spreadsheet;
        const range = params.range ?? "";
        const region = parseRange(spreadsheet, range);
        if (!region) return unparsable(range);
        const render = request.query.get("valueRenderOption") ?? "FORMATTED_VALUE";
        const major = request.query.get("majorDimension") ?? "ROWS";
        const bottom = region.bottom ?? gridRows - 1;
        const right = region.right ?? gridColumns - 1;
        let rows = region.sheet.rows
          .slice(region.top, bottom + 1)
          .map((row) => row.slice(region.left, right + 1).map((value) => rendered(value, render)));
        rows = rows.map((row) => {
          const copy = [...row];
          while (copy.length > 0 && copy.at(-1) === "") copy.pop();
          return copy;
        });
        while (rows.length > 0 && rows.at(-1)?.length === 0) rows.pop();
        const values =
          major === "COLUMNS"
            ? Array.from({ length: Math.max(0, ...rows.map((row) => row.length)) }, (_, column) =>
                rows.map((row) => row[column] ?? ""),
              )
            : rows;
        return {
          json: {
            range: a1({ sheet: region.sheet, top: region.top, left: region.left, bottom, right }),
            majorDimension: major,
            ...(values.length > 0 && { values }),
          },
        };
      }),
      route("PUT", "/v4/spreadsheets/:id/values/:range", (request, params) => {
        const wrongType = requireJson(request);
        if (wrongType) return wrongType;
        const missingOption = requireValueInputOption(request);
        if (missingOption) return missingOption;
        const spreadsheet = lookup(params.id);
        if (!("spreadsheetId" in spreadsheet)) return spreadsheet;
        const checked = checkBody(request, valueRange, (problem) =>
          googleError(400, `Invalid JSON payload received. ${problem}`),
        );
        if (!checked.ok) return checked.reply;
        const range = params.range ?? "";
        if (checked.body.range !== undefined && checked.body.range !== range)
          return googleError(
            400,
            `Requested range [${range}] does not match the range in the body [${checked.body.range}].`,
          );
        const region = parseRange(spreadsheet, range);
        if (!region) return unparsable(range);
        const widest = Math.max(...checked.body.values.map((row) => row.length));
        if (
          !region.cell &&
          region.bottom !== undefined &&
          checked.body.values.length > region.bottom - region.top + 1
        )
          return googleError(
            400,
            `Requested writing within range [${range}], but tried writing to row [${region.top + checked.body.values.length}]`,
          );
        if (!region.cell && region.right !== undefined && widest > region.right - region.left + 1)
          return googleError(
            400,
            `Requested writing within range [${range}], but tried writing to column [${columnLetters(region.left + widest - 1)}]`,
          );
        return {
          json: {
            spreadsheetId: spreadsheet.spreadsheetId,
            ...write(region, checked.body.values, request.query.get("valueInputOption") ?? "RAW"),
          },
        };
      }),
      route("POST", "/v4/spreadsheets/:id/values/:range", (request, params) => {
        const range = params.range ?? "";
        if (!range.endsWith(":append")) return googleError(404, "Requested entity was not found.");
        const wrongType = requireJson(request);
        if (wrongType) return wrongType;
        const missingOption = requireValueInputOption(request);
        if (missingOption) return missingOption;
        const insert = request.query.get("insertDataOption") ?? "OVERWRITE";
        if (insert !== "OVERWRITE" && insert !== "INSERT_ROWS")
          return googleError(400, `Invalid value at 'insert_data_option' (${insert})`);
        const spreadsheet = lookup(params.id);
        if (!("spreadsheetId" in spreadsheet)) return spreadsheet;
        const checked = checkBody(request, valueRange, (problem) =>
          googleError(400, `Invalid JSON payload received. ${problem}`),
        );
        if (!checked.ok) return checked.reply;
        const tableRangeText = range.slice(0, -":append".length);
        const region = parseRange(spreadsheet, tableRangeText);
        if (!region) return unparsable(tableRangeText);
        // The table: the rows from the range's top down to the last non-empty one.
        let last = region.sheet.rows.length - 1;
        while (last >= region.top && isEmpty(region.sheet.rows[last])) last--;
        const width = Math.max(1, ...region.sheet.rows.slice(region.top, last + 1).map((row) => row.length));
        const target: Region = { sheet: region.sheet, top: last + 1, left: region.left };
        if (insert === "INSERT_ROWS")
          region.sheet.rows.splice(last + 1, 0, ...checked.body.values.map(() => []));
        const updates = write(target, checked.body.values, request.query.get("valueInputOption") ?? "RAW");
        return {
          json: {
            spreadsheetId: spreadsheet.spreadsheetId,
            ...(last >= region.top && {
              tableRange: a1({
                sheet: region.sheet,
                top: region.top,
                left: region.left,
                bottom: last,
                right: region.left + width - 1,
              }),
            }),
            updates: { spreadsheetId: spreadsheet.spreadsheetId, ...updates },
          },
        };
      }),
      // Drive v3, for the connection test and the spreadsheet picker.
      route("GET", "/drive/v3/about", (request) => {
        if (!request.query.get("fields"))
          return googleError(400, "The 'fields' parameter is required for this method.", "required");
        return {
          json: {
            user: { kind: "drive#user", displayName: "Ada Lovelace", emailAddress: "ada@example.com" },
          },
        };
      }),
      route("GET", "/drive/v3/files", (request) => {
        const q = request.query.get("q") ?? "";
        const onlySheets = q.includes("mimeType = 'application/vnd.google-apps.spreadsheet'");
        if (!onlySheets) return googleError(400, "Invalid Value", "invalid");
        return {
          json: {
            files: [...spreadsheets.values()].map((spreadsheet) => ({
              id: spreadsheet.spreadsheetId,
              name: spreadsheet.title,
            })),
          },
        };
      }),
    ],
  });
}
