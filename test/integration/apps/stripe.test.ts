// Stripe's actions through the real worker path against its emulator: form-encoded bodies in
// bracket notation, the pinned Stripe-Version, an Idempotency-Key on every create, the invoice
// flow (draft, items, finalize, send, and the draft's clean-up when an item is refused), and
// Stripe's errors.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stripeApiVersion } from "@/integrations/stripe/index";
import { startStripeEmulator, stripeKey, stripeRestrictedKey } from "../../emulators/stripe";
import { type AppHarness, startAppHarness } from "../../helpers/app-harness";

let emulator: Awaited<ReturnType<typeof startStripeEmulator>>;
let harness: AppHarness;
let connectionId: string;
let customerId: string;

beforeAll(async () => {
  emulator = await startStripeEmulator();
  harness = await startAppHarness({
    STRIPE_API_URL: emulator.url,
    // Its own queue: another file's worker (without this file's settings) must not take its calls.
  });
  connectionId = await harness.connectWithKey("stripe", { secret_key: stripeKey });
}, 120_000);

afterAll(async () => {
  await harness?.stop();
  await emulator?.stop();
});

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("Stripe", () => {
  it("creates a customer with a form-encoded body in bracket notation", async () => {
    const result = await harness.call("stripe", "create_customer", {
      email: "ada@example.com",
      name: "Ada Lovelace",
      address: { line1: "12 St James's Square", city: "London", country: "GB" },
      metadata: { crm_id: "42" },
    });
    expect(result.isError, result.text).toBe(false);
    const [request] = emulator.requestsTo("POST /v1/customers");
    expect(request?.headers.authorization).toBe(`Bearer ${stripeKey}`);
    expect(request?.headers["stripe-version"]).toBe(stripeApiVersion);
    expect(request?.headers["idempotency-key"]).toMatch(uuid);
    expect(request?.contentType).toBe("application/x-www-form-urlencoded");
    expect(decodeURIComponent(request?.rawBody ?? "").replaceAll("+", " ")).toBe(
      "email=ada@example.com&name=Ada Lovelace&address[line1]=12 St James's Square&address[city]=London&address[country]=GB&metadata[crm_id]=42",
    );
    customerId = (result.output as { id: string }).id;
    expect(result.output).toEqual({
      id: customerId,
      email: "ada@example.com",
      name: "Ada Lovelace",
      phone: null,
      description: null,
      created: expect.any(Number),
      metadata: { crm_id: "42" },
    });

    const second = await harness.call("stripe", "create_customer", {
      email: "grace@example.com",
      name: "Grace",
    });
    expect(second.isError, second.text).toBe(false);
    const keys = emulator.requestsTo("POST /v1/customers").map((entry) => entry.headers["idempotency-key"]);
    expect(new Set(keys).size).toBe(2);

    // The emulator refuses what Stripe refuses: a JSON body.
    const json = await fetch(`${emulator.url}/v1/customers`, {
      method: "POST",
      headers: { authorization: `Bearer ${stripeKey}`, "content-type": "application/json" },
      body: JSON.stringify({ email: "x@example.com" }),
    });
    expect(json.status).toBe(400);
    expect(((await json.json()) as { error: { message: string } }).error.message).toMatch(
      /x-www-form-urlencoded/,
    );
  });

  it("finds customers by exact email (list) or by search query", async () => {
    const byEmail = await harness.call("stripe", "search_customers", { email: "ada@example.com" });
    expect(byEmail.isError, byEmail.text).toBe(false);
    const listed = emulator.requestsTo("GET /v1/customers").at(-1);
    expect(Object.fromEntries(listed?.query ?? [])).toEqual({ email: "ada@example.com", limit: "10" });
    expect(byEmail.output).toMatchObject({ customers: [{ id: customerId }], has_more: false });

    const byQuery = await harness.call("stripe", "search_customers", { query: "name~'grace'", limit: 5 });
    expect(byQuery.isError, byQuery.text).toBe(false);
    const searched = emulator.requestsTo("GET /v1/customers/search").at(-1);
    expect(Object.fromEntries(searched?.query ?? [])).toEqual({ query: "name~'grace'", limit: "5" });
    expect(byQuery.output).toMatchObject({ customers: [{ name: "Grace", email: "grace@example.com" }] });

    const bad = await harness.call("stripe", "search_customers", { query: "nonsense" });
    expect(bad.isError).toBe(true);
    expect(bad.text).toMatch(
      /^Stripe refused the request \(HTTP 400\): Invalid search query: nonsense\..*\(param: query\)$/,
    );
  });

  it("offers the account's customers as choices for an invoice, newest first, page by page", async () => {
    // Enough customers that a page of 100 (the loader's) is not all of them.
    for (let index = 0; index < 100; index++) {
      const created = await fetch(`${emulator.url}/v1/customers`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${stripeKey}`,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams({ name: `Buyer ${index}`, email: `buyer${index}@example.com` }),
      });
      expect(created.status).toBe(200);
    }
    const choices = await harness.options("stripe", "create_invoice", "customer");
    expect(choices[0]).toEqual({
      value: expect.stringMatching(/^cus_/),
      label: "Buyer 99 (buyer99@example.com)",
    });
    expect(choices).toContainEqual({ value: customerId, label: "Ada Lovelace (ada@example.com)" });
    expect(new Set(choices.map((choice) => choice.value)).size).toBe(choices.length);
    expect(choices.length).toBeGreaterThan(100);
    const pages = emulator.requestsTo("GET /v1/customers").slice(-2);
    expect(Object.fromEntries(pages[0]?.query ?? [])).toEqual({ limit: "100" });
    expect(Object.fromEntries(pages[1]?.query ?? [])).toEqual({
      limit: "100",
      starting_after: choices[99]?.value,
    });
    for (const request of pages) expect(request.headers.authorization).toBe(`Bearer ${stripeKey}`);
  });

  it("creates a payment link with indexed line items and a redirect", async () => {
    const result = await harness.call("stripe", "create_payment_link", {
      price: "price_Shirt",
      quantity: 2,
      more_line_items: [{ price: "price_Gold" }],
      after_completion_url: "https://example.com/thanks",
      allow_promotion_codes: true,
    });
    expect(result.isError, result.text).toBe(false);
    const request = emulator.requestsTo("POST /v1/payment_links").at(-1);
    expect(request?.body).toEqual({
      "line_items[0][price]": "price_Shirt",
      "line_items[0][quantity]": "2",
      "line_items[1][price]": "price_Gold",
      "line_items[1][quantity]": "1",
      "after_completion[type]": "redirect",
      "after_completion[redirect][url]": "https://example.com/thanks",
      allow_promotion_codes: "true",
    });
    expect(request?.headers["idempotency-key"]).toMatch(uuid);
    expect(result.output).toEqual({
      id: expect.stringMatching(/^plink_/),
      url: expect.stringMatching(/^https:\/\/buy\.stripe\.com\//),
      active: true,
      livemode: false,
    });

    const unknown = await harness.call("stripe", "create_payment_link", { price: "price_Nope" });
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toBe(
      "Stripe refused the request (HTTP 400): No such price: 'price_Nope' (resource_missing, param: line_items[0][price])",
    );
  });

  it("creates, fills, finalizes and sends an invoice", async () => {
    const result = await harness.call("stripe", "create_invoice", {
      customer: customerId,
      currency: "eur",
      items: [
        { price: "price_Shirt", quantity: 3 },
        { amount: 2500, description: "Engraving" },
      ],
      description: "Thank you!",
      send_email: true,
    });
    expect(result.isError, result.text).toBe(false);
    const draft = emulator.requestsTo("POST /v1/invoices").at(-1);
    expect(draft?.body).toEqual({
      customer: customerId,
      currency: "eur",
      collection_method: "send_invoice",
      days_until_due: "30",
      description: "Thank you!",
      pending_invoice_items_behavior: "exclude",
    });
    const invoiceId = (result.output as { id: string }).id;
    const items = emulator.requestsTo("POST /v1/invoiceitems").slice(-2);
    expect(items.map((item) => item.body)).toEqual([
      { customer: customerId, invoice: invoiceId, "pricing[price]": "price_Shirt", quantity: "3" },
      { customer: customerId, invoice: invoiceId, amount: "2500", currency: "eur", description: "Engraving" },
    ]);
    expect(emulator.requestsTo("POST /v1/invoices/:id/finalize").at(-1)?.path).toBe(
      `/v1/invoices/${invoiceId}/finalize`,
    );
    expect(emulator.requestsTo("POST /v1/invoices/:id/send").at(-1)?.path).toBe(
      `/v1/invoices/${invoiceId}/send`,
    );
    expect(result.output).toEqual({
      id: invoiceId,
      status: "open",
      number: expect.stringMatching(/^EMU-/),
      customer: customerId,
      currency: "eur",
      amount_due: 7000,
      total: 7000,
      collection_method: "send_invoice",
      due_date: expect.any(Number),
      hosted_invoice_url: expect.stringMatching(/^https:\/\/invoice\.stripe\.com\//),
      invoice_pdf: expect.stringMatching(/\/pdf$/),
    });
  });

  it("deletes the draft when Stripe refuses an item, and names Stripe's reason", async () => {
    const drafts = emulator.invoices.size;
    const result = await harness.call("stripe", "create_invoice", {
      customer: customerId,
      items: [{ price: "price_Gold" }],
      collection_method: "charge_automatically",
    });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(
      /^Stripe refused the request \(HTTP 400\): The price specified \(price_Gold\) is a recurring price.*\(param: pricing\[price\]\) The draft invoice in_\w+ was deleted\.$/,
    );
    const created = emulator.requestsTo("POST /v1/invoices").at(-1);
    expect(created?.body).not.toHaveProperty("days_until_due");
    expect(emulator.requestsTo("DELETE /v1/invoices/:id")).toHaveLength(1);
    expect(emulator.invoices.size).toBe(drafts);

    const invalid = await harness.call("stripe", "create_invoice", {
      customer: customerId,
      items: [{ amount: 100 }],
    });
    expect(invalid.isError).toBe(true);
    expect(invalid.text).toMatch(/currency/);
  });

  it("reads the balance", async () => {
    const result = await harness.call("stripe", "get_balance", {});
    expect(result.isError, result.text).toBe(false);
    expect(result.output).toEqual({
      available: [{ amount: 123456, currency: "usd" }],
      pending: [{ amount: 789, currency: "usd" }],
      livemode: false,
    });
    expect(emulator.requestsTo("GET /v1/balance").at(-1)?.headers["stripe-version"]).toBe(stripeApiVersion);
  });

  it("refunds part of a payment, and reports Stripe's refusal of too large a refund", async () => {
    const result = await harness.call("stripe", "create_refund", {
      payment_intent: "pi_Paid",
      amount: 1500,
      reason: "requested_by_customer",
    });
    expect(result.isError, result.text).toBe(false);
    expect(emulator.requestsTo("POST /v1/refunds").at(-1)?.body).toEqual({
      payment_intent: "pi_Paid",
      amount: "1500",
      reason: "requested_by_customer",
    });
    expect(result.output).toEqual({
      id: expect.stringMatching(/^re_/),
      amount: 1500,
      currency: "usd",
      status: "succeeded",
      charge: "ch_Paid",
      payment_intent: "pi_Paid",
      reason: "requested_by_customer",
    });

    const tooMuch = await harness.call("stripe", "create_refund", { charge: "ch_Paid", amount: 4000 });
    expect(tooMuch.isError).toBe(true);
    expect(tooMuch.text).toBe(
      "Stripe refused the request (HTTP 400): Refund amount ($40.00) is greater than unrefunded amount on charge ($35.00) (amount_too_large, param: amount)",
    );
    const neither = await harness.call("stripe", "create_refund", { amount: 100 });
    expect(neither.text).toMatch(/payment_intent or charge/);
  });

  it("tests the connection, with a restricted key too, and lists active prices as choices", async () => {
    expect(await harness.testConnection(connectionId)).toEqual({ ok: true, account: "Example" });
    const restricted = await harness.connectWithKey(
      "stripe",
      { secret_key: stripeRestrictedKey },
      "restricted",
    );
    expect(await harness.testConnection(restricted)).toEqual({
      ok: true,
      account: "Stripe account (test mode, restricted key)",
    });
    expect(await harness.options("stripe", "create_payment_link", "price")).toEqual([
      { value: "price_Gold", label: "Gold Plan: $20.00 / month" },
      { value: "price_Shirt", label: "T-shirt (Launch): €15.00" },
    ]);
    const request = emulator.requestsTo("GET /v1/prices").at(-1);
    expect(Object.fromEntries(request?.query ?? [])).toEqual({
      active: "true",
      limit: "100",
      "expand[0]": "data.product",
    });
  });

  it("marks a connection whose key Stripe rejects as needing reconnection", async () => {
    const revoked = await harness.connectWithKey(
      "stripe",
      { secret_key: "sk_test_revoked0000000000001234" },
      "revoked",
    );
    const result = await harness.call("stripe", "get_balance", {}, { connectionId: revoked });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(
      /^Stripe rejected the connection's credentials \(HTTP 401\): Invalid API Key provided: sk_test_\*+1234 Reconnect/,
    );
    expect(await harness.testConnection(revoked)).toMatchObject({ ok: false, reconnectNeeded: true });
  });
});
