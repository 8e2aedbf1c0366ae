// Stripe's OpenAPI description (its customer operations) imported as an app, against the Stripe
// emulator, which refuses JSON and decodes bracket-notation forms as Stripe does: nested fields
// with deepObject encoding must arrive as `address[line1]=…`, lists as `expand[0]=…`.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setEnv } from "@/env";
import { findApp } from "@/lib/apps/app-registry";
import { openApiDriver } from "@/lib/apps/openapi/openapi-driver";
import { getDb } from "@/lib/db/client";
import { startStripeEmulator, stripeKey } from "../emulators/stripe";
import { type AddedApp, addOpenApiApp, runAppAction, testAppConnection } from "../fixtures/openapi/added-app";
import { uniqueEmail } from "../helpers/mcp";
import { closeTestConnections } from "../helpers/teardown";

const description = readFileSync(
  path.resolve(import.meta.dirname, "../fixtures/openapi/stripe-customers.yaml"),
  "utf8",
);

let stripe: Awaited<ReturnType<typeof startStripeEmulator>>;
let app: AddedApp;
const key = { token: stripeKey };

beforeAll(async () => {
  setEnv({ HTTP_ALLOWED_PRIVATE_CIDRS: "127.0.0.1/32" });
  stripe = await startStripeEmulator();
  const userId = (await getDb().user.create({ data: { email: uniqueEmail("openapi-stripe") } })).id;
  app = await addOpenApiApp(userId, {
    name: "Stripe",
    spec: description,
    baseUrl: stripe.url,
    auth: { scheme: "bearerAuth" },
    headers: { "Stripe-Version": "2024-06-20" },
  });
});

afterAll(async () => {
  await stripe?.stop();
  await closeTestConnections();
});

describe("Stripe's OpenAPI description", () => {
  it("offers its security schemes: basic by default (listed first), bearer when named", async () => {
    const prepared = await openApiDriver.prepare(
      { name: "Stripe", spec: description },
      AbortSignal.timeout(10_000),
    );
    expect(prepared.auth).toEqual({ type: "basic", scheme: "basicAuth" });
    expect(prepared.source).toMatchObject({ baseUrl: "https://api.stripe.com", checkPath: "/v1/balance" });
    expect(app.prepared.auth).toEqual({ type: "bearer", scheme: "bearerAuth" });
    expect((await findApp(app.slug))?.auth).toMatchObject({ type: "api_key", fields: [{ name: "token" }] });
  });

  it("leaves out the empty form body Stripe declares on GETs", () => {
    const list = app.prepared.actions.find((action) => action.upstreamName === "GetCustomers");
    expect(Object.keys(list?.inputSchema?.properties as object)).toEqual([
      "email",
      "limit",
      "starting_after",
    ]);
    expect(list?.invoke).not.toHaveProperty("body");
  });

  it("sends PostCustomers form-encoded, nested fields in bracket notation", async () => {
    const created = (await runAppAction(
      app.slug,
      "PostCustomers",
      {
        body: {
          email: "jenny.rosen@example.com",
          name: "Jenny Rosen",
          address: { line1: "510 Townsend St", city: "San Francisco", country: "US" },
          metadata: { order_id: "6735" },
          expand: ["invoice_settings.default_payment_method"],
        },
      },
      key,
    )) as { status: number; body: Record<string, unknown> };
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^cus_/),
      email: "jenny.rosen@example.com",
      address: { line1: "510 Townsend St", city: "San Francisco", country: "US" },
      metadata: { order_id: "6735" },
    });

    const sent = stripe.requestsTo("POST /v1/customers").at(-1)!;
    expect(sent.contentType).toBe("application/x-www-form-urlencoded");
    expect(sent.headers.authorization).toBe(`Bearer ${stripeKey}`);
    expect(sent.headers["stripe-version"]).toBe("2024-06-20");
    expect(new URLSearchParams(sent.rawBody).getAll("metadata[order_id]")).toEqual(["6735"]);
    expect(new URLSearchParams(sent.rawBody).get("address[line1]")).toBe("510 Townsend St");
    expect(new URLSearchParams(sent.rawBody).get("expand[0]")).toBe(
      "invoice_settings.default_payment_method",
    );
  });

  it("lists customers with query parameters, and checks a connection with GetBalance", async () => {
    const listed = (await runAppAction(
      app.slug,
      "GetCustomers",
      { email: "jenny.rosen@example.com", limit: 3 },
      key,
    )) as { body: { object: string; data: { email: string }[] } };
    expect(listed.body.object).toBe("list");
    expect(listed.body.data.map((customer) => customer.email)).toEqual(["jenny.rosen@example.com"]);
    const sent = stripe.requestsTo("GET /v1/customers").at(-1)!;
    expect(Object.fromEntries(sent.query)).toEqual({ email: "jenny.rosen@example.com", limit: "3" });
    expect(sent.rawBody).toBe("");

    await expect(testAppConnection(app.slug, key)).resolves.toEqual({});
    expect(stripe.requestsTo("GET /v1/balance")).toHaveLength(1);
    await expect(testAppConnection(app.slug, { token: "sk_test_wrong" })).rejects.toThrow(/Invalid API Key/);
  });
});
