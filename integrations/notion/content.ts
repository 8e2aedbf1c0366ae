// Notion content both ways, per the block and property references
// (https://developers.notion.com/reference/block, https://developers.notion.com/reference/page-property-values):
// markdown-ish text becomes blocks for writing, and blocks and property values become plain
// values for reading, so the model sees text rather than Notion's nested JSON.
import type { BlockObjectRequest } from "@notionhq/client";

/** Notion's limit on one text object's content, and on the blocks of one request. */
export const maxTextLength = 2000;
export const maxBlocksPerRequest = 100;

type RichText = Array<{ type: "text"; text: { content: string } }>;

function richText(text: string): RichText {
  const parts: RichText = [];
  for (let start = 0; start < text.length; start += maxTextLength)
    parts.push({ type: "text", text: { content: text.slice(start, start + maxTextLength) } });
  return parts;
}

function block(line: string): BlockObjectRequest {
  const heading = /^(#{1,3})\s+(.*)$/.exec(line);
  if (heading) {
    const text = richText(heading[2] ?? "");
    const level = heading[1]?.length;
    if (level === 1) return { type: "heading_1", heading_1: { rich_text: text } };
    if (level === 2) return { type: "heading_2", heading_2: { rich_text: text } };
    return { type: "heading_3", heading_3: { rich_text: text } };
  }
  const todo = /^[-*]\s+\[([ xX])\]\s+(.*)$/.exec(line);
  if (todo) return { type: "to_do", to_do: { rich_text: richText(todo[2] ?? ""), checked: todo[1] !== " " } };
  const bullet = /^[-*]\s+(.*)$/.exec(line);
  if (bullet)
    return { type: "bulleted_list_item", bulleted_list_item: { rich_text: richText(bullet[1] ?? "") } };
  const numbered = /^\d+[.)]\s+(.*)$/.exec(line);
  if (numbered)
    return { type: "numbered_list_item", numbered_list_item: { rich_text: richText(numbered[1] ?? "") } };
  const quote = /^>\s?(.*)$/.exec(line);
  if (quote) return { type: "quote", quote: { rich_text: richText(quote[1] ?? "") } };
  if (/^(-{3,}|\*{3,})$/.test(line)) return { type: "divider", divider: {} };
  return { type: "paragraph", paragraph: { rich_text: richText(line) } };
}

/**
 * Blocks from markdown-ish text: "#", "##", "###" headings, "- " bullets, "1. " numbered items,
 * "- [ ] " to-dos, "> " quotes, "---" dividers; other lines are paragraphs, and consecutive
 * plain lines join into one paragraph (a blank line starts the next).
 */
export function textToBlocks(text: string): BlockObjectRequest[] {
  const blocks: BlockObjectRequest[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length > 0)
      blocks.push({ type: "paragraph", paragraph: { rich_text: richText(paragraph.join("\n")) } });
    paragraph = [];
  };
  for (const rawLine of text.replace(/\r\n?/g, "\n").split("\n")) {
    const line = rawLine.trimEnd();
    if (line.trim() === "") {
      flush();
      continue;
    }
    const parsed = block(line.trim());
    if (parsed.type === "paragraph") paragraph.push(line);
    else {
      flush();
      blocks.push(parsed);
    }
  }
  flush();
  return blocks;
}

export function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

type Loose = Record<string, unknown>;

function asRecord(value: unknown): Loose {
  return value && typeof value === "object" ? (value as Loose) : {};
}

/** The plain text of a rich text array. */
export function plainText(value: unknown): string {
  if (!Array.isArray(value)) return "";
  return value
    .map((part) => String(asRecord(part).plain_text ?? asRecord(asRecord(part).text).content ?? ""))
    .join("");
}

const blockPrefix: Record<string, string> = {
  heading_1: "# ",
  heading_2: "## ",
  heading_3: "### ",
  bulleted_list_item: "- ",
  numbered_list_item: "1. ",
  quote: "> ",
  toggle: "▸ ",
  callout: "> ",
};

/** One block as a line of markdown-ish text. */
export function blockToText(value: unknown): string {
  const record = asRecord(value);
  const type = String(record.type ?? "");
  const content = asRecord(record[type]);
  if (type === "child_page" || type === "child_database")
    return `[${type === "child_page" ? "page" : "database"}: ${String(content.title ?? "")}]`;
  if (type === "divider") return "---";
  if (type === "to_do") return `- [${content.checked ? "x" : " "}] ${plainText(content.rich_text)}`;
  if (type === "code")
    return `\`\`\`${String(content.language ?? "")}\n${plainText(content.rich_text)}\n\`\`\``;
  if ("rich_text" in content) return `${blockPrefix[type] ?? ""}${plainText(content.rich_text)}`;
  const url =
    asRecord(content).url ?? asRecord(asRecord(content).external).url ?? asRecord(asRecord(content).file).url;
  return typeof url === "string" ? `[${type}: ${url}]` : `[${type}]`;
}

/** A property value as a plain value: text, number, names, dates, ids. */
export function propertyValue(value: unknown): unknown {
  const record = asRecord(value);
  const type = String(record.type ?? "");
  const content = record[type];
  switch (type) {
    case "title":
    case "rich_text":
      return plainText(content);
    case "select":
    case "status":
      return content ? (asRecord(content).name ?? null) : null;
    case "multi_select":
      return Array.isArray(content) ? content.map((option) => asRecord(option).name) : [];
    case "date": {
      if (!content) return null;
      const date = asRecord(content);
      return date.end ? { start: date.start, end: date.end } : date.start;
    }
    case "people":
      return Array.isArray(content)
        ? content.map((person) => asRecord(person).name ?? asRecord(person).id)
        : [];
    case "relation":
      return Array.isArray(content) ? content.map((item) => asRecord(item).id) : [];
    case "files":
      return Array.isArray(content) ? content.map((file) => asRecord(file).name) : [];
    case "formula": {
      const formula = asRecord(content);
      return propertyValue({ type: formula.type, [String(formula.type)]: formula[String(formula.type)] });
    }
    case "rollup": {
      const rollup = asRecord(content);
      if (rollup.type === "array" && Array.isArray(rollup.array)) return rollup.array.map(propertyValue);
      return rollup[String(rollup.type)] ?? null;
    }
    case "unique_id": {
      const id = asRecord(content);
      return id.prefix ? `${String(id.prefix)}-${String(id.number)}` : id.number;
    }
    case "created_by":
    case "last_edited_by":
      return asRecord(content).name ?? asRecord(content).id ?? null;
    case "verification":
      return asRecord(content).state ?? null;
    default:
      return content === undefined ? null : content;
  }
}
