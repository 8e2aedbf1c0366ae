// Airtable's actions through the real worker path against its emulator: what reached Airtable
// (method, path, query, bearer token, body) and what the tool returned.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getRedis, redisKey } from "@/lib/redis/client";
import { airtableBase, airtableTable, airtableToken, startAirtableEmulator } from "../../emulators/airtable";
import type { Emulator } from "../../emulators/emulator";
import { type AppHarness, startAppHarness } from "../../helpers/app-harness";

let emulator: Emulator;
let harness: AppHarness;
let connectionId: string;

beforeAll(async () => {
  emulator = await startAirtableEmulator();
  harness = await startAppHarness({ AIRTABLE_API_URL: emulator.url });
  connectionId = await harness.connectWithKey("airtable", { access_token: airtableToken });
}, 120_000);

afterAll(async () => {
  await harness?.stop();
  await emulator?.stop();
});

describe("Airtable", () => {
  it("tests the connection with whoami and lists bases as choices", async () => {
    expect(await harness.testConnection(connectionId)).toEqual({ ok: true, account: "ada@example.com" });
    expect(emulator.requestsTo("GET /v0/meta/whoami").at(-1)?.headers.authorization).toBe(
      `Bearer ${airtableToken}`,
    );
    expect(await harness.options("airtable", "list_records", "base_id")).toEqual([
      { value: airtableBase, label: "Project Tracker" },
      { value: "appSW9R5uCNmRmfl6", label: "Apartment Hunting" },
    ]);
  });

  it("lists the chosen base's tables as choices, and needs the base first", async () => {
    expect(
      await harness.options("airtable", "create_records", "table", undefined, { base_id: airtableBase }),
    ).toEqual([
      { value: airtableTable, label: "Tasks" },
      { value: "tblPeople000000001", label: "People" },
    ]);
    expect(emulator.requestsTo("GET /v0/meta/bases/:base/tables").at(-1)?.path).toBe(
      `/v0/meta/bases/${airtableBase}/tables`,
    );
    await expect(harness.options("airtable", "create_records", "table")).rejects.toMatchObject({
      code: "validation_failed",
      message: 'Choose a value for "base_id" first: the choices for "table" depend on it.',
    });
    await expect(
      harness.options("airtable", "create_records", "table", undefined, { base_id: "appNotMine0000000" }),
    ).rejects.toMatchObject({ code: "upstream_error" });
  });

  it("lists records with a formula, fields, sort and a limit", async () => {
    const result = await harness.call("airtable", "list_records", {
      base_id: airtableBase,
      table: "Tasks",
      filter_by_formula: "{Status} = 'Open'",
      fields: ["Name", "Status"],
      sort: [{ field: "Score", direction: "desc" }],
      max_records: 10,
    });
    expect(result.isError, result.text).toBe(false);
    expect(result.output).toEqual({
      records: [
        {
          id: "recA1b2C3d4E5f6G7",
          createdTime: "2026-01-05T10:00:00.000Z",
          fields: { Name: "Call Bob", Status: "Open" },
        },
      ],
    });
    const request = emulator.requestsTo("GET /v0/:base/:table").at(-1);
    expect(request?.path).toBe(`/v0/${airtableBase}/Tasks`);
    expect(request?.headers.authorization).toBe(`Bearer ${airtableToken}`);
    expect(request?.query.get("filterByFormula")).toBe("{Status} = 'Open'");
    expect(request?.query.getAll("fields[]")).toEqual(["Name", "Status"]);
    expect(request?.query.get("sort[0][field]")).toBe("Score");
    expect(request?.query.get("sort[0][direction]")).toBe("desc");
    expect(request?.query.get("maxRecords")).toBe("10");
    expect(request?.query.get("pageSize")).toBe("10");
  });

  it("creates records, with typecast when asked", async () => {
    const result = await harness.call("airtable", "create_records", {
      base_id: airtableBase,
      table: airtableTable,
      records: [
        { fields: { Name: "Buy milk", Status: "Someday", Score: "3" } },
        { fields: { Name: "Walk" } },
      ],
      typecast: true,
    });
    expect(result.isError, result.text).toBe(false);
    const records = (result.output as { records: Array<{ id: string; fields: unknown }> }).records;
    expect(records.map((item) => item.fields)).toEqual([
      { Name: "Buy milk", Status: "Someday", Score: 3 },
      { Name: "Walk" },
    ]);
    const request = emulator.requestsTo("POST /v0/:base/:table").at(-1);
    expect(request?.path).toBe(`/v0/${airtableBase}/${airtableTable}`);
    expect(request?.contentType).toBe("application/json");
    expect(request?.body).toEqual({
      records: [
        { fields: { Name: "Buy milk", Status: "Someday", Score: "3" } },
        { fields: { Name: "Walk" } },
      ],
      typecast: true,
    });
  });

  it("refuses more than 10 records before calling Airtable", async () => {
    const before = emulator.requestsTo("POST /v0/:base/:table").length;
    const result = await harness.call("airtable", "create_records", {
      base_id: airtableBase,
      table: airtableTable,
      records: Array.from({ length: 11 }, (_, index) => ({ fields: { Name: `Task ${index}` } })),
    });
    expect(result.isError).toBe(true);
    expect(emulator.requestsTo("POST /v0/:base/:table").length).toBe(before);
  });

  it("updates, reads and deletes one record", async () => {
    const updated = await harness.call("airtable", "update_record", {
      base_id: airtableBase,
      table: airtableTable,
      record_id: "recA1b2C3d4E5f6G7",
      fields: { Status: "Done" },
    });
    expect(updated.isError, updated.text).toBe(false);
    expect(updated.output).toMatchObject({
      id: "recA1b2C3d4E5f6G7",
      fields: { Name: "Call Bob", Status: "Done" },
    });
    const patch = emulator.requestsTo("PATCH /v0/:base/:table/:record").at(-1);
    expect(patch?.path).toBe(`/v0/${airtableBase}/${airtableTable}/recA1b2C3d4E5f6G7`);
    expect(patch?.body).toEqual({ fields: { Status: "Done" } });

    const read = await harness.call("airtable", "get_record", {
      base_id: airtableBase,
      table: airtableTable,
      record_id: "recH8i9J0k1L2m3N4",
    });
    expect(read.output).toMatchObject({ id: "recH8i9J0k1L2m3N4", fields: { Name: "File taxes" } });

    const deleted = await harness.call("airtable", "delete_record", {
      base_id: airtableBase,
      table: airtableTable,
      record_id: "recH8i9J0k1L2m3N4",
    });
    expect(deleted.output).toEqual({ id: "recH8i9J0k1L2m3N4", deleted: true });
    expect(emulator.requestsTo("DELETE /v0/:base/:table/:record").at(-1)?.path).toBe(
      `/v0/${airtableBase}/${airtableTable}/recH8i9J0k1L2m3N4`,
    );
    const gone = await harness.call("airtable", "get_record", {
      base_id: airtableBase,
      table: airtableTable,
      record_id: "recH8i9J0k1L2m3N4",
    });
    expect(gone.isError).toBe(true);
    expect(gone.text).toMatch(/Airtable refused the request \(HTTP 404\): NOT_FOUND/);
  });

  it("names the unknown field when Airtable refuses a write, without retrying it", async () => {
    const before = emulator.requestsTo("PATCH /v0/:base/:table/:record").length;
    const result = await harness.call("airtable", "update_record", {
      base_id: airtableBase,
      table: airtableTable,
      record_id: "recA1b2C3d4E5f6G7",
      fields: { Priority: "High" },
    });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(
      /Airtable refused the request \(HTTP 422\): Unknown field name: "Priority" \(UNKNOWN_FIELD_NAME\)/,
    );
    expect(emulator.requestsTo("PATCH /v0/:base/:table/:record").length).toBe(before + 1);
  });

  it("reports a 429 as Airtable's rate limit and pauses the connection for the documented 30 s", async () => {
    const other = await harness.connectWithKey("airtable", { access_token: airtableToken }, "rate limited");
    emulator.injectOnce(
      {
        status: 429,
        json: {
          errors: [{ error: "RATE_LIMIT_REACHED", message: "Rate limit exceeded. Please try again later" }],
        },
      },
      "GET /v0/meta/bases",
    );
    await expect(harness.options("airtable", "list_records", "base_id", other)).rejects.toMatchObject({
      code: "rate_limited",
      message: expect.stringMatching(
        /Airtable is rate limiting this account \(HTTP 429\): Rate limit exceeded/,
      ),
    });
    // Airtable sends no Retry-After: its documented 30 s wait applies.
    const redis = await getRedis();
    const pausedMs = await redis.pttl(redisKey("connection", other, "paused"));
    expect(pausedMs).toBeGreaterThan(25_000);
    expect(pausedMs).toBeLessThanOrEqual(30_000);
  });

  it("marks a connection whose token Airtable rejects as needing reconnection", async () => {
    const revoked = await harness.connectWithKey("airtable", { access_token: "patRevoked.0000" }, "revoked");
    const result = await harness.call(
      "airtable",
      "get_record",
      { base_id: airtableBase, table: airtableTable, record_id: "recA1b2C3d4E5f6G7" },
      { connectionId: revoked },
    );
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(
      /rejected the connection's credentials \(HTTP 401\): Authentication required/,
    );
    expect(await harness.testConnection(revoked)).toMatchObject({ ok: false, reconnectNeeded: true });
  });
});
