// Keeps a connection's secrets out of what an action hands back: an app that echoes a token in
// an error message ("invalid token abc…") or a result must not put it in a tool result, the
// ledger or a log line.
import type { IntegrationDefinition } from "@/integrations/sdk/define";

const mask = "[redacted]";
// Shorter values would mask ordinary words; no real credential is this short.
const minimumSecretLength = 8;

/** The secret strings in a connection's credentials, as the integration declares them. */
export function secretValuesOf(integration: IntegrationDefinition, auth: unknown): string[] {
  if (!auth || typeof auth !== "object") return [];
  const record = auth as Record<string, unknown>;
  const candidates =
    integration.auth.type === "oauth2"
      ? [record.accessToken]
      : integration.auth.type === "none"
        ? []
        : integration.auth.fields.filter((field) => field.secret).map((field) => record[field.name]);
  return candidates.filter(
    (value): value is string => typeof value === "string" && value.length >= minimumSecretLength,
  );
}

// Header values that say how to talk, not who is talking: they hold no credential, and masking
// them would mangle answers that repeat them (an HTTP response's content type).
const plainHeaders = new Set([
  "accept",
  "accept-encoding",
  "accept-language",
  "cache-control",
  "content-type",
  "user-agent",
]);

/**
 * The strings worth masking in the value of a secret field (a header map, a webhook URL): each
 * text long enough to be a credential, and the credential after an auth scheme ("Bearer <token>").
 */
export function secretStringsIn(value: unknown, key?: string): string[] {
  if (typeof value === "string") {
    if (key !== undefined && plainHeaders.has(key.toLowerCase())) return [];
    const credential = /^[A-Za-z-]+ (\S+)$/.exec(value)?.[1];
    return [value, ...(credential ? [credential] : [])].filter((text) => text.length >= minimumSecretLength);
  }
  if (value && typeof value === "object")
    return Object.entries(value).flatMap(([name, item]) => secretStringsIn(item, name));
  return [];
}

/** How a secret can appear in text: as is, URL-encoded, and (inside JSON) escaped. */
function spellingsOf(secret: string): string[] {
  return [...new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])];
}

export function scrubText(text: string, secrets: string[]): string {
  let scrubbed = text;
  for (const spelling of secrets.flatMap(spellingsOf)) scrubbed = scrubbed.split(spelling).join(mask);
  return scrubbed;
}

/** The value with every secret masked wherever it appears in a string. */
export function scrubValue<T>(value: T, secrets: string[]): T {
  if (secrets.length === 0 || value === undefined) return value;
  const json = JSON.stringify(value);
  if (json === undefined) return value;
  const scrubbed = scrubText(json, secrets);
  return scrubbed === json ? value : (JSON.parse(scrubbed) as T);
}

/** The error with secrets masked from its message (the class, and so its meaning, kept). */
export function scrubError(error: unknown, secrets: string[]): unknown {
  if (!(error instanceof Error) || secrets.length === 0) return error;
  const message = scrubText(error.message, secrets);
  if (message !== error.message) error.message = message;
  return error;
}
