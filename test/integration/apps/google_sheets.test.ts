// Google Sheets' actions through the real worker path against its emulator: appending a row
// after a table, reading and writing A1 ranges (the range encoded in the path), creating and
// describing spreadsheets; plus the connection test and spreadsheet choices, which come from
// Drive (served by the same emulator, as they are when GOOGLE_SHEETS_API_URL is set), and errors.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onGoogleHost } from "@/integrations/google/api";
import { wholeTabRange } from "@/integrations/google_sheets";
import type { ApiClient } from "@/integrations/sdk/http";
import type { Emulator } from "../../emulators/emulator";
import { googleAccessToken, googleRefreshToken } from "../../emulators/google";
import { startGoogleSheetsEmulator } from "../../emulators/google_sheets";
import { type AppHarness, startAppHarness } from "../../helpers/app-harness";

let emulator: Emulator;
let harness: AppHarness;
let connectionId: string;

const leads = "1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms";

beforeAll(async () => {
  emulator = await startGoogleSheetsEmulator();
  harness = await startAppHarness({ GOOGLE_SHEETS_API_URL: emulator.url });
  connectionId = await harness.connectWithTokens("google_sheets", {
    accessToken: googleAccessToken,
    refreshToken: googleRefreshToken,
    expiresAt: Date.now() + 3_600_000,
  });
}, 120_000);

afterAll(async () => {
  await harness?.stop();
  await emulator?.stop();
});

describe("Google Sheets", () => {
  it("appends a row after the table, values entered as typed", async () => {
    const result = await harness.call("google_sheets", "append_row", {
      spreadsheet_id: leads,
      range: "Sheet1",
      values: ["Grace", "grace@example.com", "77"],
    });
    expect(result.isError, result.text).toBe(false);
    expect(result.structured).toEqual({
      spreadsheet_id: leads,
      table_range: "Sheet1!A1:C2",
      updated_range: "Sheet1!A3:C3",
      updated_rows: 1,
      updated_columns: 3,
      updated_cells: 3,
    });
    const [request] = emulator.requestsTo("POST /v4/spreadsheets/:id/values/:range");
    expect(request?.headers.authorization).toBe(`Bearer ${googleAccessToken}`);
    expect(request?.path).toBe(`/v4/spreadsheets/${leads}/values/Sheet1:append`);
    expect(Object.fromEntries(request?.query ?? [])).toEqual({
      valueInputOption: "USER_ENTERED",
      insertDataOption: "INSERT_ROWS",
    });
    expect(request?.body).toEqual({ majorDimension: "ROWS", values: [["Grace", "grace@example.com", "77"]] });
  });

  it("reads a range, formatted or not, by rows or columns", async () => {
    const formatted = await harness.call("google_sheets", "get_values", {
      spreadsheet_id: leads,
      range: "Sheet1!A1:C10",
    });
    expect(formatted.isError, formatted.text).toBe(false);
    expect(formatted.output).toEqual({
      range: "Sheet1!A1:C10",
      major_dimension: "ROWS",
      values: [
        ["Name", "Email", "Score"],
        ["Ada", "ada@example.com", "42"],
        ["Grace", "grace@example.com", "77"],
      ],
    });
    const request = emulator.requestsTo("GET /v4/spreadsheets/:id/values/:range").at(-1);
    expect(request?.path).toBe(`/v4/spreadsheets/${leads}/values/Sheet1!A1%3AC10`);
    const raw = await harness.call("google_sheets", "get_values", {
      spreadsheet_id: leads,
      range: "Sheet1!C2:C3",
      value_render_option: "UNFORMATTED_VALUE",
      major_dimension: "COLUMNS",
    });
    expect(raw.output).toMatchObject({ major_dimension: "COLUMNS", values: [[42, 77]] });
  });

  it("writes rows into a range with PUT, leaving null cells alone", async () => {
    const result = await harness.call("google_sheets", "update_values", {
      spreadsheet_id: leads,
      range: "'Q1 2026'!B2",
      values: [
        ["Revenue", "=SUM(C3:C4)"],
        [null, 1200],
      ],
      value_input_option: "RAW",
    });
    expect(result.isError, result.text).toBe(false);
    expect(result.output).toEqual({
      spreadsheet_id: leads,
      updated_range: "'Q1 2026'!B2:C3",
      updated_rows: 2,
      updated_columns: 2,
      updated_cells: 3,
    });
    const request = emulator.requestsTo("PUT /v4/spreadsheets/:id/values/:range").at(-1);
    expect(request?.path).toBe(`/v4/spreadsheets/${leads}/values/'Q1%202026'!B2`);
    expect(request?.query.get("valueInputOption")).toBe("RAW");
    expect(request?.body).toEqual({
      range: "'Q1 2026'!B2",
      majorDimension: "ROWS",
      values: [
        ["Revenue", "=SUM(C3:C4)"],
        [null, 1200],
      ],
    });
  });

  it("creates a spreadsheet with named tabs and describes it", async () => {
    const created = await harness.call("google_sheets", "create_spreadsheet", {
      title: "Budget 2026",
      sheet_titles: ["Income", "Expenses"],
    });
    expect(created.isError, created.text).toBe(false);
    const output = created.output as { spreadsheet_id: string; url: string; sheets: unknown[] };
    expect(output).toMatchObject({
      title: "Budget 2026",
      url: `https://docs.google.com/spreadsheets/d/${output.spreadsheet_id}/edit`,
      sheets: [
        { sheet_id: 0, title: "Income", rows: 1000, columns: 26 },
        { title: "Expenses", rows: 1000, columns: 26 },
      ],
    });
    expect(emulator.requestsTo("POST /v4/spreadsheets").at(-1)?.body).toEqual({
      properties: { title: "Budget 2026" },
      sheets: [{ properties: { title: "Income" } }, { properties: { title: "Expenses" } }],
    });
    const described = await harness.call("google_sheets", "get_spreadsheet", { spreadsheet_id: leads });
    expect(described.output).toMatchObject({
      title: "Leads",
      sheets: [{ title: "Sheet1" }, { sheet_id: 1717, title: "Q1 2026" }],
    });
    expect(emulator.requestsTo("GET /v4/spreadsheets/:id").at(-1)?.query.get("fields")).toMatch(
      /^spreadsheetId,/,
    );
  });

  it("reports Sheets' message for a bad range and a missing spreadsheet", async () => {
    const badRange = await harness.call("google_sheets", "get_values", {
      spreadsheet_id: leads,
      range: "Nope!A1",
    });
    expect(badRange.isError).toBe(true);
    expect(badRange.text).toBe(
      "Google Sheets refused the request (HTTP 400): Unable to parse range: Nope!A1 (INVALID_ARGUMENT, badRequest)",
    );
    const missing = await harness.call("google_sheets", "append_row", {
      spreadsheet_id: "1missing",
      range: "Sheet1",
      values: ["x"],
    });
    expect(missing.text).toBe(
      "Google Sheets refused the request (HTTP 404): Requested entity was not found. (NOT_FOUND, notFound)",
    );
  });

  it("tests the connection through Drive and lists spreadsheets as choices", async () => {
    expect(await harness.testConnection(connectionId)).toEqual({ ok: true, account: "ada@example.com" });
    expect(emulator.requestsTo("GET /drive/v3/about").at(-1)?.query.get("fields")).toBe(
      "user(displayName,emailAddress)",
    );
    const choices = await harness.options("google_sheets", "append_row", "spreadsheet_id");
    expect(choices).toContainEqual({ value: leads, label: "Leads" });
    expect(choices.map((choice) => choice.label)).toContain("Budget 2026");
    const list = emulator.requestsTo("GET /drive/v3/files").at(-1);
    expect(list?.query.get("q")).toBe(
      "mimeType = 'application/vnd.google-apps.spreadsheet' and trashed = false",
    );
    expect(list?.headers.authorization).toBe(`Bearer ${googleAccessToken}`);
  });

  it("lists the chosen spreadsheet's tabs as whole-tab ranges, quoted where A1 needs it", async () => {
    const tabs = await harness.options("google_sheets", "append_row", "range", undefined, {
      spreadsheet_id: leads,
    });
    expect(tabs).toEqual([
      { value: "Sheet1", label: "Sheet1" },
      { value: "'Q1 2026'", label: "Q1 2026" },
    ]);
    // The quoted range is one the Sheets API (here its emulator) reads as the whole tab.
    const read = await harness.call("google_sheets", "get_values", {
      spreadsheet_id: leads,
      range: tabs[1]!.value,
    });
    expect(read.isError, read.text).toBe(false);
    await expect(harness.options("google_sheets", "get_values", "range")).rejects.toMatchObject({
      code: "validation_failed",
    });
    expect(wholeTabRange("Bob's tab")).toBe("'Bob''s tab'");
  });

  it("sends Drive calls to www.googleapis.com when talking to Google itself", () => {
    const against = (baseUrl: string) => ({ baseUrl }) as ApiClient;
    expect(
      onGoogleHost(
        against("https://sheets.googleapis.com"),
        "https://sheets.googleapis.com",
        "https://www.googleapis.com",
        "/drive/v3/about",
      ),
    ).toBe("https://www.googleapis.com/drive/v3/about");
    expect(
      onGoogleHost(
        against(emulator.url),
        "https://sheets.googleapis.com",
        "https://www.googleapis.com",
        "/drive/v3/about",
      ),
    ).toBe("/drive/v3/about");
  });
});
