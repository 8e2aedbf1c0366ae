// Stripe's API as its reference and OpenAPI spec describe it (https://docs.stripe.com/api): a
// secret or restricted key as a bearer token, form-encoded bodies in bracket notation (JSON is
// refused), unknown parameters refused, Stripe-Version checked, Idempotency-Key replays, lists of
// `{object: "list", data, has_more}`, and errors as `{error: {type, code, message, param}}`.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import {
  bearerToken,
  type EmulatedRequest,
  type Handler,
  type Reply,
  route,
  startEmulator,
} from "./emulator";

export const stripeKey = "sk_test_51Nz0000000000000000000000000000000000000000000000000000000000AbCd";
export const stripeRestrictedKey = "rk_test_51Nz00000000000000000000000000000000000000000000000000000000WxYz";
const knownVersions = new Set([
  "2026-09-30.endive",
  "2026-04-22.dahlia",
  "2025-09-30.clover",
  "2025-03-31.basil",
  "2024-06-20",
]);

export function stripeError(
  status: number,
  error: { message: string; type?: string; code?: string; param?: string },
): Reply {
  return {
    status,
    headers: { "request-id": `req_${randomBytes(7).toString("hex")}` },
    json: {
      error: {
        type: "invalid_request_error",
        ...error,
        ...(error.code && {
          doc_url: `https://stripe.com/docs/error-codes/${error.code.replaceAll("_", "-")}`,
        }),
      },
    },
  };
}

const missing = (kind: string, id: string, param?: string) =>
  stripeError(param ? 400 : 404, {
    code: "resource_missing",
    message: `No such ${kind}: '${id}'`,
    ...(param && { param }),
  });

/** Rebuilds nested parameters from bracket keys (`a[b][0][c]=v`), lists from numeric indexes. */
export function decodeStripeParams(flat: Record<string, string>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flat)) {
    const parts = key.replace(/\]/g, "").split("[");
    let node = root;
    parts.forEach((part, index) => {
      if (index === parts.length - 1) node[part] = value;
      else {
        node[part] ??= {};
        node = node[part] as Record<string, unknown>;
      }
    });
  }
  const listify = (value: unknown): unknown => {
    if (!value || typeof value !== "object") return value;
    const entries = Object.entries(value as Record<string, unknown>).map(
      ([key, item]) => [key, listify(item)] as const,
    );
    if (entries.length > 0 && entries.every(([key]) => /^\d+$/.test(key)))
      return entries.sort(([a], [b]) => Number(a) - Number(b)).map(([, item]) => item);
    return Object.fromEntries(entries);
  };
  return listify(root) as Record<string, unknown>;
}

const paramName = (path: PropertyKey[]) =>
  path.map((part, index) => (index === 0 ? String(part) : `[${String(part)}]`)).join("");

/** Validates decoded parameters as Stripe does: unknown, missing and invalid ones by name. */
function params<T>(
  raw: Record<string, unknown>,
  schema: z.ZodType<T>,
): { ok: true; body: T } | { ok: false; reply: Reply } {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, body: parsed.data };
  const issue = parsed.error.issues[0]!;
  if (issue.code === "unrecognized_keys") {
    const param = paramName([...issue.path, issue.keys[0] ?? ""]);
    return {
      ok: false,
      reply: stripeError(400, {
        code: "parameter_unknown",
        message: `Received unknown parameter: ${param}`,
        param,
      }),
    };
  }
  const param = paramName(issue.path);
  if (issue.code === "invalid_type" && /received undefined/.test(issue.message))
    return {
      ok: false,
      reply: stripeError(400, {
        code: "parameter_missing",
        message: `Missing required param: ${param}.`,
        param,
      }),
    };
  return { ok: false, reply: stripeError(400, { message: `Invalid ${param}: ${issue.message}`, param }) };
}

const int = z.string().regex(/^-?\d+$/, "must be an integer");
const bool = z.enum(["true", "false"]);
const metadata = z.record(z.string(), z.string()).optional();
const expand = z.array(z.string()).optional();

const customerParams = z
  .object({
    email: z.string().optional(),
    name: z.string().optional(),
    phone: z.string().optional(),
    description: z.string().optional(),
    address: z
      .object({
        line1: z.string().optional(),
        line2: z.string().optional(),
        city: z.string().optional(),
        postal_code: z.string().optional(),
        state: z.string().optional(),
        country: z.string().optional(),
      })
      .strict()
      .optional(),
    metadata,
    expand,
  })
  .strict();

const paymentLinkParams = z
  .object({
    line_items: z
      .array(z.object({ price: z.string().min(1), quantity: int }).strict())
      .min(1)
      .max(20),
    after_completion: z
      .object({
        type: z.enum(["hosted_confirmation", "redirect"]),
        redirect: z.object({ url: z.string() }).strict().optional(),
        hosted_confirmation: z.object({ custom_message: z.string().optional() }).strict().optional(),
      })
      .strict()
      .optional(),
    allow_promotion_codes: bool.optional(),
    metadata,
    expand,
  })
  .strict();

const invoiceParams = z
  .object({
    customer: z.string(),
    currency: z.string().length(3).optional(),
    collection_method: z.enum(["charge_automatically", "send_invoice"]).optional(),
    days_until_due: int.optional(),
    description: z.string().optional(),
    pending_invoice_items_behavior: z.enum(["exclude", "include"]).optional(),
    auto_advance: bool.optional(),
    metadata,
    expand,
  })
  .strict();

const invoiceItemParams = z
  .object({
    customer: z.string().optional(),
    invoice: z.string().optional(),
    pricing: z.object({ price: z.string() }).strict().optional(),
    amount: int.optional(),
    currency: z.string().length(3).optional(),
    quantity: int.optional(),
    description: z.string().optional(),
    metadata,
    expand,
  })
  .strict();

const refundParams = z
  .object({
    payment_intent: z.string().optional(),
    charge: z.string().optional(),
    amount: int.optional(),
    reason: z.enum(["duplicate", "fraudulent", "requested_by_customer"]).optional(),
    metadata,
    expand,
  })
  .strict();

type Invoice = {
  id: string;
  object: "invoice";
  customer: string;
  currency: string;
  status: "draft" | "open" | "paid" | "void";
  number: string | null;
  collection_method: string;
  description: string | null;
  due_date: number | null;
  days_until_due: number | null;
  amount_due: number;
  total: number;
  hosted_invoice_url: string | null;
  invoice_pdf: string | null;
  lines: { object: "list"; data: Array<Record<string, unknown>>; has_more: false };
  metadata: Record<string, string>;
  livemode: false;
};

const now = () => Math.floor(Date.now() / 1000);
const id = (prefix: string) => `${prefix}_${randomBytes(12).toString("base64url").replace(/[-_]/g, "x")}`;

/** Bodies must be form-encoded: Stripe answers a JSON body with this error. */
function requireForm(request: EmulatedRequest): Reply | undefined {
  if (
    request.method !== "POST" ||
    !request.rawBody ||
    request.contentType.startsWith("application/x-www-form-urlencoded")
  )
    return undefined;
  return stripeError(400, {
    message:
      "Invalid request (check that your POST content type is application/x-www-form-urlencoded). If you have any questions, we can help at https://support.stripe.com/.",
  });
}

export async function startStripeEmulator() {
  const customers = new Map<
    string,
    Record<string, unknown> & { id: string; email: string | null; name: string | null }
  >();
  const invoices = new Map<string, Invoice>();
  const invoiceItems: Array<Record<string, unknown>> = [];
  const paymentLinks = new Map<string, Record<string, unknown>>();
  const refunds: Array<Record<string, unknown>> = [];
  const products = new Map([
    ["prod_Gold", { id: "prod_Gold", object: "product", name: "Gold Plan", active: true }],
    ["prod_Shirt", { id: "prod_Shirt", object: "product", name: "T-shirt", active: true }],
  ]);
  const prices = new Map([
    [
      "price_Gold",
      {
        id: "price_Gold",
        object: "price",
        active: true,
        currency: "usd",
        unit_amount: 2000,
        nickname: null,
        recurring: { interval: "month", interval_count: 1 },
        product: "prod_Gold",
        type: "recurring",
      },
    ],
    [
      "price_Shirt",
      {
        id: "price_Shirt",
        object: "price",
        active: true,
        currency: "eur",
        unit_amount: 1500,
        nickname: "Launch",
        recurring: null,
        product: "prod_Shirt",
        type: "one_time",
      },
    ],
    [
      "price_Old",
      {
        id: "price_Old",
        object: "price",
        active: false,
        currency: "usd",
        unit_amount: 900,
        nickname: null,
        recurring: null,
        product: "prod_Shirt",
        type: "one_time",
      },
    ],
  ]);
  const payments = new Map([
    ["pi_Paid", { id: "pi_Paid", charge: "ch_Paid", amount: 5000, currency: "usd", refunded: 0 }],
  ]);
  const idempotency = new Map<string, { signature: string; reply: Reply }>();

  /** Replays the first answer to a repeated Idempotency-Key, and refuses the key with other parameters. */
  const idempotent =
    (handle: Handler): Handler =>
    async (request, routeParams) => {
      const key = request.headers["idempotency-key"];
      if (typeof key !== "string") return handle(request, routeParams);
      const signature = `${request.method} ${request.path} ${request.rawBody}`;
      const seen = idempotency.get(key);
      if (seen && seen.signature !== signature)
        return stripeError(400, {
          type: "idempotency_error",
          message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
        });
      if (seen) return { ...seen.reply, headers: { ...seen.reply.headers, "idempotent-replayed": "true" } };
      const reply = await handle(request, routeParams);
      idempotency.set(key, { signature, reply });
      return reply;
    };

  const form = (request: EmulatedRequest) =>
    decodeStripeParams((request.body ?? {}) as Record<string, string>);
  const query = (request: EmulatedRequest) => decodeStripeParams(Object.fromEntries(request.query));
  const list = (data: unknown[], url: string, hasMore = false) => ({
    json: { object: "list", data, has_more: hasMore, url },
  });

  const invoiceView = (invoice: Invoice): Invoice => {
    const lines = invoiceItems.filter((item) => item.invoice === invoice.id);
    const total = lines.reduce((sum, item) => sum + Number(item.amount), 0);
    return { ...invoice, total, amount_due: total, lines: { object: "list", data: lines, has_more: false } };
  };

  const emulator = await startEmulator({
    name: "stripe",
    authenticate: (request) => {
      const key = bearerToken(request);
      if (key !== stripeKey && key !== stripeRestrictedKey)
        return stripeError(401, {
          message: `Invalid API Key provided: ${(key ?? "").slice(0, 8)}${"*".repeat(12)}${(key ?? "").slice(-4)}`,
        });
      const version = request.headers["stripe-version"];
      if (typeof version === "string" && !knownVersions.has(version))
        return stripeError(400, { message: `Invalid Stripe API version: ${version}` });
      if (key === stripeRestrictedKey && request.path === "/v1/account")
        return stripeError(403, {
          message: `The provided key '${key.slice(0, 8)}***${key.slice(-4)}' does not have the required permissions for this endpoint on account 'acct_1Nz0Emulator'. Having the 'rak_accounts_kyc_basic_read' permission would allow this request to continue.`,
        });
      return requireForm(request);
    },
    notFound: (request) =>
      stripeError(404, {
        message: `Unrecognized request URL (${request.method}: ${request.path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
      }),
    routes: [
      route("GET", "/v1/account", () => ({
        json: {
          id: "acct_1Nz0Emulator",
          object: "account",
          email: "billing@example.com",
          business_profile: { name: "Example Ltd" },
          settings: { dashboard: { display_name: "Example" } },
        },
      })),
      route("GET", "/v1/balance", () => ({
        json: {
          object: "balance",
          available: [{ amount: 123456, currency: "usd", source_types: { card: 123456 } }],
          pending: [{ amount: 789, currency: "usd", source_types: { card: 789 } }],
          livemode: false,
        },
      })),
      route(
        "POST",
        "/v1/customers",
        idempotent((request) => {
          const checked = params(form(request), customerParams);
          if (!checked.ok) return checked.reply;
          const customer = {
            id: id("cus"),
            object: "customer",
            created: now(),
            livemode: false,
            email: null,
            name: null,
            phone: null,
            description: null,
            address: null,
            balance: 0,
            currency: null,
            invoice_settings: { default_payment_method: null },
            metadata: {},
            ...checked.body,
          };
          customers.set(customer.id, customer);
          return { json: customer };
        }),
      ),
      route("GET", "/v1/customers", (request) => {
        const {
          email,
          limit = "10",
          starting_after: startingAfter,
        } = query(request) as { email?: string; limit?: string; starting_after?: string };
        const size = Number(limit);
        if (!Number.isInteger(size) || size < 1 || size > 100)
          return stripeError(400, {
            type: "invalid_request_error",
            message: "This value must be between 1 and 100.",
            param: "limit",
          });
        let found = [...customers.values()]
          .filter((customer) => !email || customer.email === email)
          .reverse();
        if (startingAfter) {
          const at = found.findIndex((customer) => customer.id === startingAfter);
          if (at < 0)
            return stripeError(400, {
              type: "invalid_request_error",
              code: "resource_missing",
              message: `No such customer: '${startingAfter}'`,
              param: "starting_after",
            });
          found = found.slice(at + 1);
        }
        return list(found.slice(0, size), "/v1/customers", found.length > size);
      }),
      route("GET", "/v1/customers/search", (request) => {
        const { query: text, limit = "10" } = query(request) as { query?: string; limit?: string };
        if (!text)
          return stripeError(400, {
            code: "parameter_missing",
            message: "Missing required param: query.",
            param: "query",
          });
        const clauses = text.split(/\s+AND\s+/);
        const tests = clauses.map((clause) =>
          /^(email|name|phone|metadata\['([^']+)'\])\s*([:~])\s*'([^']*)'$/.exec(clause.trim()),
        );
        if (tests.some((match) => !match))
          return stripeError(400, {
            message: `Invalid search query: ${text}. Please see https://stripe.com/docs/search#search-query-language`,
            param: "query",
          });
        const found = [...customers.values()].filter((customer) =>
          tests.every((match) => {
            const [, field, metadataKey, operator, value] = match!;
            const actual = metadataKey
              ? (customer.metadata as Record<string, string>)[metadataKey]
              : (customer[field as "email"] as string | null);
            if (actual === undefined || actual === null) return false;
            return operator === ":"
              ? actual === value
              : actual.toLowerCase().includes(String(value).toLowerCase());
          }),
        );
        return {
          json: {
            object: "search_result",
            data: found.slice(0, Number(limit)),
            has_more: found.length > Number(limit),
            next_page: null,
            url: "/v1/customers/search",
          },
        };
      }),
      route("GET", "/v1/prices", (request) => {
        const {
          active,
          limit = "10",
          expand: expansions = [],
        } = query(request) as {
          active?: string;
          limit?: string;
          expand?: string[];
        };
        const found = [...prices.values()].filter(
          (price) => active === undefined || String(price.active) === active,
        );
        const expanded = found.map((price) =>
          expansions.includes("data.product") ? { ...price, product: products.get(price.product) } : price,
        );
        return list(expanded.slice(0, Number(limit)), "/v1/prices");
      }),
      route(
        "POST",
        "/v1/payment_links",
        idempotent((request) => {
          const checked = params(form(request), paymentLinkParams);
          if (!checked.ok) return checked.reply;
          for (const [index, item] of checked.body.line_items.entries())
            if (!prices.get(item.price)?.active)
              return missing("price", item.price, `line_items[${index}][price]`);
          const { after_completion } = checked.body;
          if (after_completion?.type === "redirect" && !after_completion.redirect)
            return stripeError(400, {
              code: "parameter_missing",
              message: "Missing required param: after_completion[redirect].",
              param: "after_completion[redirect]",
            });
          const linkId = id("plink");
          const link = {
            id: linkId,
            object: "payment_link",
            active: true,
            livemode: false,
            url: `https://buy.stripe.com/test_${linkId.slice(6, 20)}`,
            allow_promotion_codes: checked.body.allow_promotion_codes === "true",
            after_completion: after_completion ?? {
              type: "hosted_confirmation",
              hosted_confirmation: { custom_message: null },
            },
            metadata: checked.body.metadata ?? {},
          };
          paymentLinks.set(linkId, { ...link, line_items: checked.body.line_items });
          return { json: link };
        }),
      ),
      route(
        "POST",
        "/v1/invoices",
        idempotent((request) => {
          const checked = params(form(request), invoiceParams);
          if (!checked.ok) return checked.reply;
          const body = checked.body;
          if (!customers.has(body.customer)) return missing("customer", body.customer, "customer");
          const method = body.collection_method ?? "charge_automatically";
          if (method === "send_invoice" && body.days_until_due === undefined)
            return stripeError(400, {
              message: "Missing required param: days_until_due.",
              code: "parameter_missing",
              param: "days_until_due",
            });
          if (method === "charge_automatically" && body.days_until_due !== undefined)
            return stripeError(400, {
              message: "Invoices with `collection_method=charge_automatically` cannot have `days_until_due`.",
              param: "days_until_due",
            });
          const invoice: Invoice = {
            id: id("in"),
            object: "invoice",
            customer: body.customer,
            currency: body.currency ?? "usd",
            status: "draft",
            number: null,
            collection_method: method,
            description: body.description ?? null,
            days_until_due: body.days_until_due === undefined ? null : Number(body.days_until_due),
            due_date: null,
            amount_due: 0,
            total: 0,
            hosted_invoice_url: null,
            invoice_pdf: null,
            lines: { object: "list", data: [], has_more: false },
            metadata: body.metadata ?? {},
            livemode: false,
          };
          invoices.set(invoice.id, invoice);
          return { json: invoiceView(invoice) };
        }),
      ),
      route("GET", "/v1/invoices/:id", (_request, { id: invoiceId = "" }) => {
        const invoice = invoices.get(invoiceId);
        return invoice ? { json: invoiceView(invoice) } : missing("invoice", invoiceId);
      }),
      route("DELETE", "/v1/invoices/:id", (_request, { id: invoiceId = "" }) => {
        const invoice = invoices.get(invoiceId);
        if (!invoice) return missing("invoice", invoiceId);
        if (invoice.status !== "draft")
          return stripeError(400, { message: "You can only delete draft invoices." });
        invoices.delete(invoiceId);
        return { json: { id: invoiceId, object: "invoice", deleted: true } };
      }),
      route(
        "POST",
        "/v1/invoiceitems",
        idempotent((request) => {
          const checked = params(form(request), invoiceItemParams);
          if (!checked.ok) return checked.reply;
          const body = checked.body;
          const invoice = body.invoice ? invoices.get(body.invoice) : undefined;
          if (body.invoice && !invoice) return missing("invoice", body.invoice, "invoice");
          if (invoice && invoice.status !== "draft")
            return stripeError(400, {
              message: `You can only add invoice items to draft invoices. ${invoice.id} is ${invoice.status}.`,
              param: "invoice",
            });
          const customerId = body.customer ?? invoice?.customer;
          if (!customerId)
            return stripeError(400, {
              code: "parameter_missing",
              message: "Missing required param: customer.",
              param: "customer",
            });
          if (!customers.has(customerId)) return missing("customer", customerId, "customer");
          if (body.pricing && body.amount !== undefined)
            return stripeError(400, {
              code: "parameters_exclusive",
              message: "You may only specify one of these parameters: amount, pricing.",
              param: "amount",
            });
          let amount: number;
          let currency: string;
          if (body.pricing) {
            const price = prices.get(body.pricing.price);
            if (!price) return missing("price", body.pricing.price, "pricing[price]");
            if (price.recurring)
              return stripeError(400, {
                message: `The price specified (${price.id}) is a recurring price; invoice items need a one-time price.`,
                param: "pricing[price]",
              });
            amount = (price.unit_amount ?? 0) * Number(body.quantity ?? 1);
            currency = price.currency;
          } else {
            if (body.amount === undefined)
              return stripeError(400, {
                code: "parameter_missing",
                message: "Missing required param: amount.",
                param: "amount",
              });
            if (!body.currency)
              return stripeError(400, {
                code: "parameter_missing",
                message: "Missing required param: currency.",
                param: "currency",
              });
            amount = Number(body.amount);
            currency = body.currency;
          }
          if (invoice && currency !== invoice.currency)
            return stripeError(400, {
              message: `The currency of this invoice item (${currency}) must match the invoice's (${invoice.currency}).`,
              param: "currency",
            });
          const item = {
            id: id("ii"),
            object: "invoiceitem",
            customer: customerId,
            invoice: body.invoice ?? null,
            amount,
            currency,
            description: body.description ?? null,
            quantity: Number(body.quantity ?? 1),
            pricing: body.pricing
              ? { type: "price_details", price_details: { price: body.pricing.price } }
              : null,
          };
          invoiceItems.push(item);
          return { json: item };
        }),
      ),
      route(
        "POST",
        "/v1/invoices/:id/finalize",
        idempotent((_request, { id: invoiceId = "" }) => {
          const invoice = invoices.get(invoiceId);
          if (!invoice) return missing("invoice", invoiceId);
          if (invoice.status !== "draft")
            return stripeError(400, {
              message: `This invoice is already finalized, you can't re-finalize a non-draft invoice.`,
            });
          invoice.status = "open";
          invoice.number = `EMU-${String(invoices.size).padStart(4, "0")}`;
          invoice.hosted_invoice_url = `https://invoice.stripe.com/i/acct_1Nz0Emulator/test_${invoice.id}`;
          invoice.invoice_pdf = `https://pay.stripe.com/invoice/acct_1Nz0Emulator/test_${invoice.id}/pdf`;
          if (invoice.days_until_due !== null) invoice.due_date = now() + invoice.days_until_due * 86_400;
          return { json: invoiceView(invoice) };
        }),
      ),
      route(
        "POST",
        "/v1/invoices/:id/send",
        idempotent((_request, { id: invoiceId = "" }) => {
          const invoice = invoices.get(invoiceId);
          if (!invoice) return missing("invoice", invoiceId);
          if (invoice.status !== "open" || invoice.collection_method !== "send_invoice")
            return stripeError(400, {
              message:
                "You can only manually send an invoice if its collection method is 'send_invoice' and it is open.",
            });
          return { json: invoiceView(invoice) };
        }),
      ),
      route(
        "POST",
        "/v1/refunds",
        idempotent((request) => {
          const checked = params(form(request), refundParams);
          if (!checked.ok) return checked.reply;
          const body = checked.body;
          if (!body.payment_intent && !body.charge)
            return stripeError(400, {
              message:
                "One of the following params should be provided for this request: payment_intent or charge.",
            });
          const payment = [...payments.values()].find(
            (candidate) => candidate.id === body.payment_intent || candidate.charge === body.charge,
          );
          if (!payment)
            return body.payment_intent
              ? missing("payment_intent", body.payment_intent, "payment_intent")
              : missing("charge", body.charge ?? "", "charge");
          const left = payment.amount - payment.refunded;
          if (left === 0)
            return stripeError(400, {
              code: "charge_already_refunded",
              message: `Charge ${payment.charge} has already been refunded.`,
            });
          const amount = body.amount === undefined ? left : Number(body.amount);
          if (amount > left)
            return stripeError(400, {
              code: "amount_too_large",
              message: `Refund amount ($${(amount / 100).toFixed(2)}) is greater than unrefunded amount on charge ($${(left / 100).toFixed(2)})`,
              param: "amount",
            });
          payment.refunded += amount;
          const refund = {
            id: id("re"),
            object: "refund",
            amount,
            currency: payment.currency,
            charge: payment.charge,
            payment_intent: payment.id,
            reason: body.reason ?? null,
            status: "succeeded",
            metadata: body.metadata ?? {},
            created: now(),
          };
          refunds.push(refund);
          return { json: refund };
        }),
      ),
    ],
  });
  return { ...emulator, customers, invoices, invoiceItems, paymentLinks, refunds };
}
