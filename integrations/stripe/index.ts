// Stripe (https://docs.stripe.com/api), over HTTP without the SDK, following the API reference and
// Stripe's OpenAPI spec (github.com/stripe/openapi, latest/openapi.spec3.json, version
// 2026-09-30.endive): customers, payment links, invoices, balance and refunds with a secret or
// restricted key as a bearer token.
//
// - Bodies are form-encoded with Stripe's bracket notation (./form.ts); Stripe refuses JSON.
// - Stripe-Version is pinned to the version of the spec this module was written against, so the
//   shapes read here (invoice items' `pricing[price]`, say) do not change with the account's
//   default version. Bump it together with a read of the changelog.
// - Every POST carries a fresh Idempotency-Key (https://docs.stripe.com/api/idempotent_requests).
//   The worker never re-sends a create on its own (creates are not idempotent here, so a 5xx or a
//   timeout fails the call instead of repeating it), so the key guards the one request on the
//   wire; a key derived from the tool call's id would also make a re-run of the whole call safe,
//   but actions are not given that id.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import {
  actionFor,
  apiKeyAuth,
  type ConnectionContext,
  defineIntegration,
  externalCreate,
  externalRead,
  type KeyCredentials,
  type OptionsLoader,
} from "@/integrations/sdk/define";
import { ActionError, CredentialsRejectedError } from "@/integrations/sdk/errors";
import type { ApiClient } from "@/integrations/sdk/http";
import { encodeStripeParams, type StripeParams } from "./form";

export const stripeApiVersion = "2026-09-30.endive";

type Auth = KeyCredentials<"secret_key">;
const defineAction = actionFor<Auth>();

function post<T>(http: ApiClient, path: string, params: StripeParams): Promise<T> {
  return http.request<T>(path, {
    method: "POST",
    form: encodeStripeParams(params),
    headers: { "idempotency-key": randomUUID() },
  });
}

function get<T>(http: ApiClient, path: string, params: StripeParams = {}): Promise<T> {
  return http.request<T>(path, { query: encodeStripeParams(params) });
}

const metadata = z
  .record(z.string().max(40), z.string().max(500))
  .optional()
  .describe(
    "Key-value pairs to store on the object (up to 50 keys; keys up to 40 characters, values up to 500).",
  );

const currency = z
  .string()
  .regex(/^[a-zA-Z]{3}$/)
  .describe('A three-letter ISO currency code, such as "usd" or "eur".');

const amount = z
  .number()
  .int()
  .describe("An amount in the currency's smallest unit: cents for USD/EUR (1000 = 10.00), yen for JPY.");

// Results are trimmed to what a person acts on; Stripe objects carry dozens of fields.
const customer = z
  .object({
    id: z.string(),
    email: z.string().nullable(),
    name: z.string().nullable(),
    phone: z.string().nullable(),
    description: z.string().nullable(),
    created: z.number(),
    metadata: z.record(z.string(), z.string()),
  })
  .passthrough();
type Customer = z.infer<typeof customer>;

function trimCustomer(raw: Customer): Customer {
  const { id, email, name, phone, description, created, metadata } = raw;
  return {
    id,
    email: email ?? null,
    name: name ?? null,
    phone: phone ?? null,
    description: description ?? null,
    created,
    metadata: metadata ?? {},
  };
}

type Price = {
  id: string;
  nickname: string | null;
  unit_amount: number | null;
  currency: string;
  recurring: { interval: string; interval_count: number } | null;
  product: string | { id: string; name: string };
};

function formatAmount(value: number, code: string): string {
  try {
    const format = new Intl.NumberFormat("en", { style: "currency", currency: code.toUpperCase() });
    return format.format(value / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
  } catch {
    return `${value} ${code}`;
  }
}

function priceLabel(price: Price): string {
  const product = typeof price.product === "string" ? price.product : price.product.name;
  const name = price.nickname ? `${product} (${price.nickname})` : product;
  const cost = price.unit_amount === null ? "custom amount" : formatAmount(price.unit_amount, price.currency);
  const every = price.recurring
    ? ` / ${price.recurring.interval_count > 1 ? `${price.recurring.interval_count} ` : ""}${price.recurring.interval}`
    : "";
  return `${name}: ${cost}${every}`;
}

const priceOptions: OptionsLoader<Auth> = async ({ http }) => {
  const prices = await get<{ data: Price[] }>(http, "/v1/prices", {
    active: true,
    limit: 100,
    expand: ["data.product"],
  });
  return prices.data.map((price) => ({ value: price.id, label: priceLabel(price) }));
};

/** The account's customers, newest first, a page of 100 at a time (a few pages at most). */
const customerOptions: OptionsLoader<Auth> = async ({ http }) => {
  const options: Array<{ value: string; label: string }> = [];
  let startingAfter: string | undefined;
  for (let page = 0; page < 5; page++) {
    const customers = await get<{ data: Customer[]; has_more: boolean }>(http, "/v1/customers", {
      limit: 100,
      ...(startingAfter && { starting_after: startingAfter }),
    });
    for (const found of customers.data) {
      const name = found.name || found.email || found.id;
      options.push({ value: found.id, label: found.email && found.name ? `${name} (${found.email})` : name });
    }
    startingAfter = customers.data.at(-1)?.id;
    if (!customers.has_more || !startingAfter) break;
  }
  return options;
};

const createCustomer = defineAction({
  key: "create_customer",
  title: "Create customer",
  description: "Create a Stripe customer (Stripe does not check that the email is unique: search first).",
  input: z.object({
    email: z.email().optional().describe("The customer's email address."),
    name: z.string().optional().describe("The customer's full name or business name."),
    phone: z.string().optional().describe("The customer's phone number."),
    description: z.string().optional().describe("An internal note shown in the Dashboard."),
    address: z
      .object({
        line1: z.string().optional().describe("Street address."),
        line2: z.string().optional().describe("Apartment, suite, unit or building."),
        city: z.string().optional().describe("City or town."),
        postal_code: z.string().optional().describe("ZIP or postal code."),
        state: z.string().optional().describe("State, county, province or region."),
        country: z
          .string()
          .length(2)
          .optional()
          .describe('Two-letter country code (ISO 3166-1 alpha-2, "US").'),
      })
      .optional()
      .describe("The customer's billing address."),
    metadata,
  }),
  output: customer,
  annotations: externalCreate,
  run: async ({ input, http }) => trimCustomer(await post<Customer>(http, "/v1/customers", input)),
});

const searchCustomers = defineAction({
  key: "search_customers",
  title: "Find customers",
  description:
    "Find Stripe customers: by exact email (immediate, case-sensitive), or with a Stripe search query such as \"name~'ada'\" or \"metadata['crm_id']:'42'\" (new customers take up to a minute to become searchable). With neither, lists the newest customers.",
  input: z.object({
    email: z.string().optional().describe("Exact email address to look for (case-sensitive)."),
    query: z
      .string()
      .optional()
      .describe(
        "A Stripe search query: fields email, name, phone, created, metadata['key'], with : (exact), ~ (contains, 3+ characters), AND/OR. E.g. \"email~'example.com' AND name~'ada'\".",
      ),
    limit: z.number().int().min(1).max(100).default(10).describe("At most this many customers."),
  }),
  output: z.object({ customers: z.array(customer), has_more: z.boolean() }),
  annotations: externalRead,
  run: async ({ input, http }) => {
    if (input.email && input.query) throw new ActionError("Give either email or query, not both.");
    const result = input.query
      ? await get<{ data: Customer[]; has_more: boolean }>(http, "/v1/customers/search", {
          query: input.query,
          limit: input.limit,
        })
      : await get<{ data: Customer[]; has_more: boolean }>(http, "/v1/customers", {
          email: input.email,
          limit: input.limit,
        });
    return { customers: result.data.map(trimCustomer), has_more: result.has_more };
  },
});

const lineItem = z.object({
  price: z.string().min(1).describe("The id of a Price (price_...)."),
  quantity: z.number().int().min(1).default(1).describe("How many units."),
});

const createPaymentLink = defineAction({
  key: "create_payment_link",
  title: "Create payment link",
  description: "Create a shareable Stripe payment link (a hosted checkout page) for one or more prices.",
  input: z.object({
    price: z.string().min(1).describe("The id of the Price to sell (price_...)."),
    quantity: z.number().int().min(1).default(1).describe("How many units of it."),
    more_line_items: z
      .array(lineItem)
      .max(19)
      .optional()
      .describe("Further prices on the same link (up to 20 line items in all)."),
    after_completion_url: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe("Where to send the customer after paying; Stripe's confirmation page when left out."),
    allow_promotion_codes: z.boolean().optional().describe("Whether the customer may enter promotion codes."),
    metadata,
  }),
  output: z
    .object({ id: z.string(), url: z.string(), active: z.boolean(), livemode: z.boolean() })
    .passthrough(),
  annotations: externalCreate,
  options: { price: priceOptions },
  run: async ({ input, http }) => {
    const link = await post<{ id: string; url: string; active: boolean; livemode: boolean }>(
      http,
      "/v1/payment_links",
      {
        line_items: [{ price: input.price, quantity: input.quantity }, ...(input.more_line_items ?? [])],
        ...(input.after_completion_url && {
          after_completion: { type: "redirect", redirect: { url: input.after_completion_url } },
        }),
        allow_promotion_codes: input.allow_promotion_codes,
        metadata: input.metadata,
      },
    );
    return { id: link.id, url: link.url, active: link.active, livemode: link.livemode };
  },
});

const invoiceItem = z.object({
  price: z
    .string()
    .optional()
    .describe("The id of a one-time Price to bill (price_...); or give amount instead."),
  quantity: z.number().int().min(1).optional().describe("Units of the price (with price only)."),
  amount: amount
    .optional()
    .describe(
      "An amount in the smallest currency unit (1000 = 10.00), instead of a price; negative for a credit.",
    ),
  description: z.string().optional().describe("The line's text on the invoice (needed with amount)."),
});

const invoice = z
  .object({
    id: z.string(),
    status: z.string().nullable(),
    number: z.string().nullable(),
    customer: z.string().nullable(),
    currency: z.string(),
    amount_due: z.number(),
    total: z.number(),
    collection_method: z.string(),
    due_date: z.number().nullable(),
    hosted_invoice_url: z.string().nullable(),
    invoice_pdf: z.string().nullable(),
  })
  .passthrough();
type Invoice = z.infer<typeof invoice>;

function trimInvoice(raw: Invoice): Invoice {
  return {
    id: raw.id,
    status: raw.status ?? null,
    number: raw.number ?? null,
    customer: raw.customer ?? null,
    currency: raw.currency,
    amount_due: raw.amount_due,
    total: raw.total,
    collection_method: raw.collection_method,
    due_date: raw.due_date ?? null,
    hosted_invoice_url: raw.hosted_invoice_url ?? null,
    invoice_pdf: raw.invoice_pdf ?? null,
  };
}

const createInvoice = defineAction({
  key: "create_invoice",
  title: "Create invoice",
  description:
    "Bill a Stripe customer: creates a draft invoice, adds the items, then (by default) finalizes it so it has a number and a payment page, and optionally emails it.",
  input: z.object({
    customer: z.string().min(1).describe("The id of the customer to bill (cus_...)."),
    items: z
      .array(invoiceItem)
      .min(1)
      .max(250)
      .describe("The invoice's lines: each a price (and quantity) or an amount and description."),
    currency: currency
      .optional()
      .describe(
        "The invoice's currency (\"usd\"); needed when items are amounts. The customer's currency otherwise.",
      ),
    collection_method: z
      .enum(["send_invoice", "charge_automatically"])
      .default("send_invoice")
      .describe(
        "send_invoice: the customer pays from the invoice's page; charge_automatically: Stripe charges the customer's saved payment method.",
      ),
    days_until_due: z
      .number()
      .int()
      .min(0)
      .max(365)
      .default(30)
      .describe("Days the customer has to pay (send_invoice only)."),
    description: z.string().optional().describe("A memo shown on the invoice."),
    finalize: z
      .boolean()
      .default(true)
      .describe(
        "Finalize the invoice (no further edits; it gets a number and a payment page). False leaves a draft.",
      ),
    send_email: z
      .boolean()
      .default(false)
      .describe("Email the finalized invoice to the customer (send_invoice only)."),
    metadata,
  }),
  output: invoice,
  annotations: externalCreate,
  options: { customer: customerOptions },
  run: async ({ input, http }) => {
    for (const [index, item] of input.items.entries()) {
      if ((item.price === undefined) === (item.amount === undefined))
        throw new ActionError(`items[${index}]: give either a price or an amount.`);
      if (item.amount !== undefined && !input.currency)
        throw new ActionError("Give the invoice's currency when items are amounts.");
      if (item.amount !== undefined && item.quantity !== undefined)
        throw new ActionError(`items[${index}]: quantity goes with a price, not with an amount.`);
    }
    if (input.send_email && (!input.finalize || input.collection_method !== "send_invoice"))
      throw new ActionError("send_email needs finalize and collection_method send_invoice.");
    const sendInvoice = input.collection_method === "send_invoice";
    const draft = await post<Invoice>(http, "/v1/invoices", {
      customer: input.customer,
      currency: input.currency?.toLowerCase(),
      collection_method: input.collection_method,
      days_until_due: sendInvoice ? input.days_until_due : undefined,
      description: input.description,
      pending_invoice_items_behavior: "exclude",
      metadata: input.metadata,
    });
    try {
      for (const item of input.items) {
        await post(http, "/v1/invoiceitems", {
          customer: input.customer,
          invoice: draft.id,
          ...(item.price !== undefined
            ? { pricing: { price: item.price }, quantity: item.quantity }
            : { amount: item.amount, currency: input.currency?.toLowerCase() }),
          description: item.description,
        });
      }
      if (!input.finalize) return trimInvoice(await get<Invoice>(http, `/v1/invoices/${draft.id}`));
      const finalized = await post<Invoice>(http, `/v1/invoices/${draft.id}/finalize`, {});
      if (!input.send_email) return trimInvoice(finalized);
      return trimInvoice(await post<Invoice>(http, `/v1/invoices/${draft.id}/send`, {}));
    } catch (error) {
      // A half-built draft is of no use, and a rate-limited call runs again from the start: the
      // draft goes (drafts can be deleted; once finalized an invoice cannot, and stays).
      if (error instanceof CredentialsRejectedError) throw error;
      const deleted = await http
        .request(`/v1/invoices/${draft.id}`, { method: "DELETE" })
        .then(() => true)
        .catch(() => false);
      if (!(error instanceof ActionError)) throw error;
      throw new ActionError(
        `${error.message} ${deleted ? `The draft invoice ${draft.id} was deleted.` : `The invoice ${draft.id} was kept.`}`,
      );
    }
  },
});

const balanceAmounts = z.array(z.object({ amount: z.number(), currency: z.string() }));

const getBalance = defineAction({
  key: "get_balance",
  title: "Get balance",
  description: "The Stripe account's balance per currency: available for payouts, and pending.",
  input: z.object({}),
  output: z.object({ available: balanceAmounts, pending: balanceAmounts, livemode: z.boolean() }),
  annotations: externalRead,
  run: async ({ http }) => {
    const balance = await get<{
      available: Array<{ amount: number; currency: string }>;
      pending: Array<{ amount: number; currency: string }>;
      livemode: boolean;
    }>(http, "/v1/balance");
    const amounts = (list: Array<{ amount: number; currency: string }>) =>
      list.map(({ amount, currency }) => ({ amount, currency }));
    return {
      available: amounts(balance.available),
      pending: amounts(balance.pending),
      livemode: balance.livemode,
    };
  },
});

const createRefund = defineAction({
  key: "create_refund",
  title: "Refund a payment",
  description: "Refund a payment in full or in part, by its PaymentIntent (pi_...) or its Charge (ch_...).",
  input: z.object({
    payment_intent: z.string().optional().describe("The PaymentIntent to refund (pi_...)."),
    charge: z.string().optional().describe("The Charge to refund (ch_...), instead of a PaymentIntent."),
    amount: amount
      .min(1)
      .optional()
      .describe(
        "How much to refund, in the smallest currency unit (1000 = 10.00); all that is left when left out.",
      ),
    reason: z
      .enum(["duplicate", "fraudulent", "requested_by_customer"])
      .optional()
      .describe("Why (fraudulent also helps Stripe block similar payments)."),
    metadata,
  }),
  output: z
    .object({
      id: z.string(),
      amount: z.number(),
      currency: z.string(),
      status: z.string().nullable(),
      charge: z.string().nullable(),
      payment_intent: z.string().nullable(),
      reason: z.string().nullable(),
    })
    .passthrough(),
  annotations: externalCreate,
  run: async ({ input, http }) => {
    if (Boolean(input.payment_intent) === Boolean(input.charge))
      throw new ActionError("Give either payment_intent or charge.");
    const refund = await post<Record<string, unknown>>(http, "/v1/refunds", input);
    const text = (name: string) => (typeof refund[name] === "string" ? (refund[name] as string) : null);
    return {
      id: String(refund.id),
      amount: Number(refund.amount),
      currency: String(refund.currency),
      status: text("status"),
      charge: text("charge"),
      payment_intent: text("payment_intent"),
      reason: text("reason"),
    };
  },
});

/** Stripe's error body: `{error: {type, code, message, param}}`; the code and param help the model fix a call. */
function describeError(body: unknown): string | undefined {
  const error = (body as { error?: { message?: string; code?: string; param?: string } } | undefined)?.error;
  if (!error || typeof error.message !== "string") return undefined;
  const details = [error.code, error.param && `param: ${error.param}`].filter(Boolean);
  return details.length > 0 ? `${error.message} (${details.join(", ")})` : error.message;
}

async function testConnection({ http }: ConnectionContext<Auth>) {
  try {
    const account = await get<{
      id: string;
      email?: string | null;
      business_profile?: { name?: string | null } | null;
      settings?: { dashboard?: { display_name?: string | null } } | null;
    }>(http, "/v1/account");
    return {
      account:
        account.settings?.dashboard?.display_name ??
        account.business_profile?.name ??
        account.email ??
        account.id,
    };
  } catch (error) {
    // A restricted key may lack the account permission: its balance still shows it works.
    if (!(error instanceof ActionError) || error instanceof CredentialsRejectedError) throw error;
    const balance = await get<{ livemode: boolean }>(http, "/v1/balance");
    return { account: `Stripe account (${balance.livemode ? "live" : "test"} mode, restricted key)` };
  }
}

export default defineIntegration<Auth>({
  slug: "stripe",
  name: "Stripe",
  description: "Customers, payment links, invoices, refunds and balance in Stripe.",
  category: "Payments",
  auth: apiKeyAuth([
    {
      name: "secret_key",
      label: "Secret or restricted key",
      secret: true,
      help: "Stripe Dashboard → Developers → API keys: the secret key (sk_live_... or sk_test_...), or better a restricted key (rk_...) with write access to Customers, Payment Links, Invoices and Refunds and read access to Balance and Prices.",
    },
  ]),
  api: {
    baseUrl: "https://api.stripe.com",
    baseUrlSetting: "STRIPE_API_URL",
    headers: (auth) => ({ authorization: `Bearer ${auth.secret_key}`, "stripe-version": stripeApiVersion }),
    describeError,
  },
  test: testConnection,
  actions: [createCustomer, searchCustomers, createPaymentLink, createInvoice, getBalance, createRefund],
});
