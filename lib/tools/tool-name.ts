// Tool names: derived from app and action (`github_create_issue`), limited to the characters
// and the 64-character length that MCP clients accept, and unique within a server. The app's slug
// comes first, so an added app's tools cannot take another app's names; a name that would be longer
// than 64 characters keeps a hash of the whole, so two long names that share a beginning stay apart.
import { createHash } from "node:crypto";

export const toolNamePattern = /^[A-Za-z0-9_-]{1,64}$/;

/** `raw` with only the characters tool names may hold, at any length. */
function cleanName(raw: string): string {
  const cleaned = raw
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "") // accents go, their letters stay: "tâche" → "tache"
    .replace(/[^A-Za-z0-9_-]+/g, "_")
    .replace(/_+/g, "_")
    .replace(/^_+|_+$/g, "");
  return cleaned || "tool";
}

export function sanitizeToolName(raw: string): string {
  return cleanName(raw).slice(0, 64);
}

/** `raw` made a tool name; when longer than `max`, its beginning and 8 hex digits of its hash. */
export function shortenName(raw: string, max = 64): string {
  if (raw.length <= max) return raw;
  const hash = createHash("sha256").update(raw).digest("hex").slice(0, 8);
  return `${raw.slice(0, max - hash.length - 1)}_${hash}`;
}

export function deriveToolName(integrationSlug: string, actionKey: string): string {
  return shortenName(cleanName(`${integrationSlug}_${actionKey}`));
}

/** `name`, or `name_2`, `name_3`… (shortened to stay within 64 characters) if taken. */
export function makeUniqueToolName(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name;
  for (let counter = 2; ; counter++) {
    const suffix = `_${counter}`;
    const candidate = name.slice(0, 64 - suffix.length) + suffix;
    if (!taken.has(candidate)) return candidate;
  }
}
