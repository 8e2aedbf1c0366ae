// Stripe's request encoding (https://docs.stripe.com/api, "form-encoded request bodies"; the
// OpenAPI spec at github.com/stripe/openapi declares every body application/x-www-form-urlencoded
// with `style: deepObject, explode: true`):
// nested objects as `metadata[order]=42`, lists with indexes as `line_items[0][price]=price_1`,
// booleans as "true"/"false", and an empty string to clear a value.

export type StripeParams = Record<string, unknown>;

/** Flattens nested parameters into Stripe's bracket keys; undefined values are left out. */
export function encodeStripeParams(params: StripeParams): Record<string, string> {
  const flat: Record<string, string> = {};
  const walk = (key: string, value: unknown): void => {
    if (value === undefined) return;
    if (value === null) {
      flat[key] = "";
    } else if (Array.isArray(value)) {
      if (value.length === 0) flat[key] = "";
      value.forEach((item, index) => {
        walk(`${key}[${index}]`, item);
      });
    } else if (typeof value === "object") {
      for (const [name, item] of Object.entries(value as Record<string, unknown>))
        walk(`${key}[${name}]`, item);
    } else {
      flat[key] = String(value);
    }
  };
  for (const [name, value] of Object.entries(params)) walk(name, value);
  return flat;
}
