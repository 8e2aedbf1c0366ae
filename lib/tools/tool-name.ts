// Tool names: derived from app and action (`github_create_issue`), limited to the characters
// and the 64-character length that MCP clients accept, and unique within a server.
export const toolNamePattern = /^[A-Za-z0-9_-]{1,64}$/;

export function sanitizeToolName(raw: string): string {
  const cleaned = raw
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "") // accents go, their letters stay: "tâche" → "tache"
    .replace(/[^A-Za-z0-9_-]+/g, "_")
    .replace(/_+/g, "_")
    .replace(/^_+|_+$/g, "");
  return (cleaned || "tool").slice(0, 64);
}

export function deriveToolName(integrationSlug: string, actionKey: string): string {
  return sanitizeToolName(`${integrationSlug}_${actionKey}`);
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
