// HubSpot's actions through the real worker path against its emulator: contacts, search, deals
// with associations, notes, the deal-stage choices, the connection test, and HubSpot's errors.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import {
  hubspotError,
  hubspotOwners,
  hubspotPortalId,
  hubspotRateLimited,
  hubspotToken,
  startHubspotEmulator,
} from "../../emulators/hubspot";
import { type AppHarness, startAppHarness } from "../../helpers/app-harness";

let emulator: Awaited<ReturnType<typeof startHubspotEmulator>>;
let harness: AppHarness;
let contactId: string;

beforeAll(async () => {
  emulator = await startHubspotEmulator();
  harness = await startAppHarness({
    HUBSPOT_API_URL: emulator.url,
    // Its own queue: another file's worker (without this file's settings) must not take its calls.
  });
  await harness.connectWithKey("hubspot", { access_token: hubspotToken });
}, 120_000);

afterAll(async () => {
  await harness?.stop();
  await emulator?.stop();
});

describe("HubSpot", () => {
  it("creates a contact with its properties as strings", async () => {
    const result = await harness.call("hubspot", "create_contact", {
      email: "ada@example.com",
      firstname: "Ada",
      lastname: "Lovelace",
      lifecyclestage: "lead",
      properties: { hs_lead_status: "NEW", numemployees: 25 },
    });
    expect(result.isError, result.text).toBe(false);
    const [request] = emulator.requestsTo("POST /crm/v3/objects/contacts");
    expect(request?.headers.authorization).toBe(`Bearer ${hubspotToken}`);
    expect(request?.contentType).toBe("application/json");
    expect(request?.body).toEqual({
      properties: {
        email: "ada@example.com",
        firstname: "Ada",
        lastname: "Lovelace",
        lifecyclestage: "lead",
        hs_lead_status: "NEW",
        numemployees: "25",
      },
    });
    expect(result.structured).toMatchObject({ properties: { email: "ada@example.com", firstname: "Ada" } });
    contactId = (result.output as { id: string }).id;
    expect(contactId).toMatch(/^\d+$/);
  });

  it("reports HubSpot's conflict when the email is taken, with the existing id", async () => {
    const result = await harness.call("hubspot", "create_contact", { email: "ADA@example.com" });
    expect(result.isError).toBe(true);
    expect(result.text).toBe(
      `HubSpot refused the request (HTTP 409): Contact already exists. Existing ID: ${contactId} (CONFLICT)`,
    );
  });

  it("updates a contact by id and by email", async () => {
    const byId = await harness.call("hubspot", "update_contact", {
      contact_id: contactId,
      phone: "+33 1 23 45 67 89",
    });
    expect(byId.isError, byId.text).toBe(false);
    const first = emulator.requestsTo("PATCH /crm/v3/objects/contacts/:id").at(-1);
    expect(first?.path).toBe(`/crm/v3/objects/contacts/${contactId}`);
    expect(first?.query.has("idProperty")).toBe(false);
    expect(first?.body).toEqual({ properties: { phone: "+33 1 23 45 67 89" } });

    const byEmail = await harness.call("hubspot", "update_contact", {
      contact_id: "ada@example.com",
      id_property: "email",
      lifecyclestage: "customer",
    });
    expect(byEmail.isError, byEmail.text).toBe(false);
    const second = emulator.requestsTo("PATCH /crm/v3/objects/contacts/:id").at(-1);
    expect(second?.path).toBe("/crm/v3/objects/contacts/ada%40example.com");
    expect(second?.query.get("idProperty")).toBe("email");
    expect(byEmail.structured).toMatchObject({
      id: contactId,
      properties: { lifecyclestage: "customer", phone: "+33 1 23 45 67 89" },
    });

    const missing = await harness.call("hubspot", "update_contact", {
      contact_id: "999999",
      firstname: "Nobody",
    });
    expect(missing.isError).toBe(true);
    expect(missing.text).toBe(
      "HubSpot refused the request (HTTP 404): resource not found (OBJECT_NOT_FOUND)",
    );
  });

  it("searches contacts with a query, filter groups, properties and a limit", async () => {
    await harness.call("hubspot", "create_contact", {
      email: "grace@example.com",
      firstname: "Grace",
      lastname: "Hopper",
    });
    const result = await harness.call("hubspot", "search_contacts", {
      filter_groups: [{ filters: [{ propertyName: "lifecyclestage", operator: "EQ", value: "customer" }] }],
      properties: ["email", "lifecyclestage"],
      limit: 5,
    });
    expect(result.isError, result.text).toBe(false);
    expect(emulator.requestsTo("POST /crm/v3/objects/contacts/search").at(-1)?.body).toEqual({
      filterGroups: [{ filters: [{ propertyName: "lifecyclestage", operator: "EQ", value: "customer" }] }],
      properties: ["email", "lifecyclestage"],
      limit: 5,
    });
    expect(result.output).toEqual({
      total: 1,
      contacts: [
        expect.objectContaining({
          id: contactId,
          properties: expect.objectContaining({ email: "ada@example.com" }),
        }),
      ],
      next_after: null,
    });

    const paged = await harness.call("hubspot", "search_contacts", {
      query: "example.com",
      limit: 1,
      sort_by: "email",
    });
    expect(paged.isError, paged.text).toBe(false);
    expect(emulator.requestsTo("POST /crm/v3/objects/contacts/search").at(-1)?.body).toEqual({
      query: "example.com",
      properties: ["email", "firstname", "lastname", "phone", "company", "lifecyclestage"],
      sorts: [{ propertyName: "email", direction: "DESCENDING" }],
      limit: 1,
    });
    expect(paged.output).toMatchObject({
      total: 2,
      next_after: "1",
      contacts: [{ properties: { email: "grace@example.com" } }],
    });
  });

  it("creates a deal in a stage, associated with the contact (type 3)", async () => {
    const result = await harness.call("hubspot", "create_deal", {
      dealname: "Analytical Engine",
      dealstage: "appointmentscheduled",
      amount: 1500.5,
      closedate: "2026-12-31",
      contact_id: contactId,
    });
    expect(result.isError, result.text).toBe(false);
    expect(emulator.requestsTo("POST /crm/v3/objects/deals").at(-1)?.body).toEqual({
      properties: {
        dealname: "Analytical Engine",
        dealstage: "appointmentscheduled",
        amount: "1500.5",
        closedate: "2026-12-31",
      },
      associations: [
        { to: { id: contactId }, types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: 3 }] },
      ],
    });
    const dealId = (result.output as { id: string }).id;
    expect(emulator.deals.get(dealId)?.associations).toEqual([{ id: contactId, typeId: 3 }]);
    expect(result.structured).toMatchObject({
      properties: { pipeline: "default", dealname: "Analytical Engine" },
    });

    const wrongStage = await harness.call("hubspot", "create_deal", {
      dealname: "Nope",
      dealstage: "closedwon",
      pipeline: "75e28846-ad0d-4be2-a027-5e1da6590b98",
    });
    expect(wrongStage.isError).toBe(true);
    expect(wrongStage.text).toMatch(
      /^HubSpot refused the request \(HTTP 400\): Property values were not valid: .*closedwon is not a valid dealstage.*\(VALIDATION_ERROR\)$/,
    );
  });

  it("adds a note to a contact and a deal (types 202 and 214) with a timestamp", async () => {
    const deal = await harness.call("hubspot", "create_deal", {
      dealname: "Follow-up",
      dealstage: "closedwon",
    });
    const dealId = (deal.output as { id: string }).id;
    const before = Date.now();
    const result = await harness.call("hubspot", "create_note", {
      body: "Called Ada about the <b>engine</b>.",
      contact_id: contactId,
      deal_id: dealId,
    });
    expect(result.isError, result.text).toBe(false);
    const body = emulator.requestsTo("POST /crm/v3/objects/notes").at(-1)?.body as {
      properties: Record<string, string>;
      associations: unknown[];
    };
    expect(body.properties.hs_note_body).toBe("Called Ada about the <b>engine</b>.");
    expect(Date.parse(body.properties.hs_timestamp ?? "")).toBeGreaterThanOrEqual(before - 1000);
    expect(body.associations).toEqual([
      { to: { id: contactId }, types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: 202 }] },
      { to: { id: dealId }, types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: 214 }] },
    ]);

    const notes = emulator.requestsTo("POST /crm/v3/objects/notes").length;
    const unattached = await harness.call("hubspot", "create_note", { body: "Floating" });
    expect(unattached.isError).toBe(true);
    expect(unattached.text).toMatch(/contact_id, deal_id or company_id/);
    expect(emulator.requestsTo("POST /crm/v3/objects/notes").length).toBe(notes);
  });

  it("tests the connection and lists deal stages and pipelines as choices", async () => {
    const [connection] = await getDb().connection.findMany({
      where: { userId: harness.userId, integration: "hubspot" },
    });
    expect(await harness.testConnection(connection!.id)).toEqual({
      ok: true,
      account: `HubSpot account ${hubspotPortalId}`,
    });
    expect(await harness.options("hubspot", "create_deal", "dealstage")).toEqual([
      { value: "appointmentscheduled", label: "Sales Pipeline: Appointment Scheduled" },
      { value: "closedwon", label: "Sales Pipeline: Closed Won" },
      { value: "1111", label: "Renewals: Up for renewal" },
    ]);
    expect(await harness.options("hubspot", "create_deal", "pipeline")).toEqual([
      { value: "default", label: "Sales Pipeline" },
      { value: "75e28846-ad0d-4be2-a027-5e1da6590b98", label: "Renewals" },
    ]);
  });

  it("lists the account's owners as choices for a deal's and a note's owner, page by page", async () => {
    const owners = await harness.options("hubspot", "create_deal", "hubspot_owner_id");
    expect(owners).toHaveLength(hubspotOwners.length);
    expect(owners.slice(0, 3)).toEqual([
      { value: "41629779", label: "Ada Lovelace (ada@example.com)" },
      { value: "41629780", label: "Grace Hopper (grace@example.com)" },
      { value: "41629781", label: "nobody-named@example.com" },
    ]);
    expect(owners.at(-1)).toEqual({ value: "51000099", label: "Seller 99 (seller99@example.com)" });
    expect(owners.map((owner) => owner.value)).not.toContain("41629799");
    const pages = emulator.requestsTo("GET /crm/v3/owners").slice(-2);
    expect(pages.map((request) => Object.fromEntries(request.query))).toEqual([
      { limit: "100", archived: "false" },
      { limit: "100", archived: "false", after: "100" },
    ]);
    for (const request of pages) expect(request.headers.authorization).toBe(`Bearer ${hubspotToken}`);
    expect(await harness.options("hubspot", "create_note", "hubspot_owner_id")).toEqual(owners);
    const revoked = await harness.connectWithKey("hubspot", { access_token: "pat-na1-bad" }, "bad token");
    await expect(
      harness.options("hubspot", "create_note", "hubspot_owner_id", revoked),
    ).rejects.toMatchObject({
      code: "upstream_error",
    });
  });

  it("names the missing scopes when HubSpot refuses with 403", async () => {
    emulator.injectOnce(
      hubspotError(
        403,
        "MISSING_SCOPES",
        "This app hasn't been granted all required scopes to make this call.",
        {
          errors: [
            {
              message: "One or more of the following scopes are required.",
              context: { requiredGranularScopes: ["crm.objects.deals.write"] },
            },
          ],
        },
      ),
      "POST /crm/v3/objects/deals",
    );
    const result = await harness.call("hubspot", "create_deal", {
      dealname: "Scoped",
      dealstage: "closedwon",
    });
    expect(result.isError).toBe(true);
    expect(result.text).toBe(
      "HubSpot refused the request (HTTP 403): This app hasn't been granted all required scopes to make this call.; required scopes: crm.objects.deals.write (MISSING_SCOPES)",
    );
  });

  it("treats HubSpot's 429 as a rate limit and pauses the connection", async () => {
    const other = await harness.connectWithKey("hubspot", { access_token: hubspotToken }, "limited");
    emulator.injectOnce(hubspotRateLimited(), "GET /crm/v3/pipelines/deals");
    await expect(harness.options("hubspot", "create_deal", "dealstage", other)).rejects.toMatchObject({
      code: "rate_limited",
      message: expect.stringMatching(
        /HubSpot is rate limiting this account \(HTTP 429\): You have reached your ten_secondly_rolling limit/,
      ),
    });
    // HubSpot sends no Retry-After: the SDK's default wait applies, and the connection's next
    // request waits without reaching HubSpot.
    const requests = emulator.requests.length;
    await expect(harness.options("hubspot", "create_deal", "pipeline", other)).rejects.toMatchObject({
      code: "rate_limited",
      message: expect.stringMatching(
        /HubSpot asked to slow down; this connection's requests wait (2\d|30) s/,
      ),
    });
    expect(emulator.requests.length).toBe(requests);
  });

  it("marks a connection whose token HubSpot rejects as needing reconnection", async () => {
    const revoked = await harness.connectWithKey("hubspot", { access_token: "pat-na1-revoked" }, "revoked");
    const result = await harness.call(
      "hubspot",
      "search_contacts",
      { query: "ada" },
      { connectionId: revoked },
    );
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(
      /HubSpot rejected the connection's credentials \(HTTP 401\): Authentication credentials not found.*Reconnect/,
    );
    expect(await harness.testConnection(revoked)).toMatchObject({ ok: false, reconnectNeeded: true });
  });
});
