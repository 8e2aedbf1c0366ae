// The scan of an added app's definitions for hidden instructions to the AI (tool poisoning): text
// a person does not see (invisible or bidirectional Unicode), text that speaks to the model
// instead of describing the tool ("ignore previous instructions", <IMPORTANT> tags), and requests
// to read local files or send data elsewhere. Every string of the definition is scanned: the
// description, the titles, and every description, name, default and enum value in its schemas.
// A finding does not block the app: it is shown to the owner, and the action waits for them.
import type { ActionDefinitionData } from "./action-definition";

export type FindingKind = "hidden_text" | "instruction" | "tag" | "file_access" | "exfiltration";

export type Finding = {
  kind: FindingKind;
  /** Where in the definition: "description", "inputSchema.properties.path.description". */
  where: string;
  /** The text around it, with hidden characters shown as <U+XXXX>. */
  excerpt: string;
};

/** Zero-width, bidirectional controls, tag characters and other format characters a reader cannot see. */
const hiddenCharacters =
  // biome-ignore lint/suspicious/noMisleadingCharacterClass: a list of code points to find, one by one
  /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\u{E0000}-\u{E007F}\u{E0100}-\u{E01EF}]/u;

const instructionPatterns: RegExp[] = [
  /\b(ignore|disregard|forget|override)\b[^.\n]{0,40}\b(previous|prior|above|earlier|all|other|system)\b[^.\n]{0,20}\b(instructions?|prompts?|rules?|messages?|directions?)/i,
  /\b(do not|don't|never)\b[^.\n]{0,30}\b(tell|inform|mention|reveal|show)\b[^.\n]{0,30}\b(the )?(user|human|person)\b/i,
  /\b(before|after|instead of)\b[^.\n]{0,40}\b(using|calling|running)\b[^.\n]{0,30}\b(this|any|the|other)\b[^.\n]{0,15}\btools?\b[^.\n]{0,40}\b(you must|always|first)\b/i,
  /\byou (must|should|have to) (always|first|now)\b/i,
  /\b(system prompt|system message|new instructions|jailbreak)\b/i,
  /\bthis is (very )?(important|critical|mandatory)\b[^.\n]{0,40}\b(you|assistant|model|ai)\b/i,
];

const tagPattern =
  /<\/?\s*(important|system|instructions?|secret|hidden|admin|prompt|assistant|user|context|note)\b[^>]*>/i;

const fileAccessPatterns: RegExp[] = [
  /(~|\$HOME|%USERPROFILE%)[/\\]\.?[\w.-]+/i,
  /\/(etc\/(passwd|shadow|hosts)|proc\/self|root\/)/i,
  /\.(ssh|aws|gnupg|kube|docker|npmrc|netrc|env)\b/i,
  /\b(id_rsa|id_ed25519|authorized_keys|credentials\.json|mcp\.json|\.cursor|claude_desktop_config)\b/i,
  /\b(read|cat|open|include|attach)\b[^.\n]{0,30}\b(file|contents? of)\b[^.\n]{0,30}[/~]/i,
];

const exfiltrationPatterns: RegExp[] = [
  /\b(send|post|forward|upload|transmit|exfiltrate|leak|copy)\b[^.\n]{0,60}\b(to|at)\b[^.\n]{0,20}(https?:\/\/|[\w.-]+@[\w-]+\.\w+|webhook)/i,
  /\b(include|put|pass|add)\b[^.\n]{0,40}\b(api[ _-]?keys?|tokens?|passwords?|secrets?|credentials?|private keys?|conversation|chat history|previous messages)\b[^.\n]{0,40}\b(in|into|as)\b[^.\n]{0,20}\b(the )?(parameter|argument|field|sidenote|note|url|request)/i,
];

function showHidden(text: string): string {
  return [...text]
    .map((char) =>
      hiddenCharacters.test(char)
        ? `<U+${char.codePointAt(0)?.toString(16).toUpperCase().padStart(4, "0")}>`
        : char,
    )
    .join("");
}

function excerptAround(text: string, index: number, length: number): string {
  const start = Math.max(0, index - 40);
  const end = Math.min(text.length, index + length + 40);
  return `${start > 0 ? "…" : ""}${showHidden(text.slice(start, end))}${end < text.length ? "…" : ""}`;
}

/** One untrusted text's findings (an upstream's instructions, say), `where` naming it in each. */
export function scanText(text: string, where: string): Finding[] {
  const findings: Finding[] = [];
  const hidden = hiddenCharacters.exec(text);
  if (hidden) findings.push({ kind: "hidden_text", where, excerpt: excerptAround(text, hidden.index, 1) });
  // What the model reads is the text without the characters a person cannot see: read both as if
  // they were not there ("ig<ZWSP>nore" is "ignore") and as if they parted words ("pets<ZWSP>ignore").
  const everyHidden = new RegExp(hiddenCharacters.source, "gu");
  const readings = [...new Set([text.replace(everyHidden, ""), text.replace(everyHidden, " ")])];
  const checks: [FindingKind, RegExp[]][] = [
    ["instruction", instructionPatterns],
    ["tag", [tagPattern]],
    ["file_access", fileAccessPatterns],
    ["exfiltration", exfiltrationPatterns],
  ];
  for (const [kind, patterns] of checks) {
    const found = readings.flatMap((visible) =>
      patterns.flatMap((pattern) => {
        const match = pattern.exec(visible);
        return match ? [excerptAround(visible, match.index, match[0].length)] : [];
      }),
    )[0];
    if (found !== undefined) findings.push({ kind, where, excerpt: found });
  }
  return findings;
}

/** Every string in a JSON value, with its path; object keys (property names) count as strings too. */
function* stringsOf(value: unknown, path: string): Generator<[string, string]> {
  if (typeof value === "string") yield [value, path];
  else if (Array.isArray(value))
    for (const [index, item] of value.entries()) yield* stringsOf(item, `${path}[${index}]`);
  else if (value && typeof value === "object")
    for (const [key, item] of Object.entries(value)) {
      yield [key, `${path}{key}`];
      yield* stringsOf(item, `${path}.${key}`);
    }
}

export function scanDefinition(upstreamName: string, definition: ActionDefinitionData): Finding[] {
  const texts: [string, string][] = [
    [upstreamName, "name"],
    [definition.title, "title"],
    [definition.description, "description"],
    ...stringsOf(definition.inputSchema, "inputSchema"),
    ...stringsOf(definition.outputSchema, "outputSchema"),
  ];
  return texts.flatMap(([text, where]) => scanText(text, where));
}
