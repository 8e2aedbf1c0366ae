// Atlassian Document Format (https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/),
// which Jira's REST API v3 takes and gives for rich text (descriptions, comments): plain text in,
// plain text out, for the model.

export type AdfNode = {
  type: string;
  text?: string;
  attrs?: Record<string, unknown>;
  content?: AdfNode[];
  marks?: Array<{ type: string; attrs?: Record<string, unknown> }>;
};

export type AdfDocument = { type: "doc"; version: 1; content: AdfNode[] };

/** Text as an ADF document: blank lines separate paragraphs, single line breaks stay hard breaks. */
export function textToAdf(text: string): AdfDocument {
  const paragraphs = text
    .replace(/\r\n?/g, "\n")
    .split(/\n{2,}/)
    .map((paragraph) => paragraph.replace(/^\n+|\n+$/g, ""))
    .filter((paragraph) => paragraph.trim() !== "");
  return {
    type: "doc",
    version: 1,
    content: paragraphs.map((paragraph) => ({
      type: "paragraph",
      content: paragraph
        .split("\n")
        .flatMap((line, index): AdfNode[] => [
          ...(index > 0 ? [{ type: "hardBreak" }] : []),
          ...(line ? [{ type: "text", text: line }] : []),
        ]),
    })),
  };
}

/** Nodes whose children are blocks (joined by line breaks); other nodes hold inline content. */
const blockContainers = new Set(["blockquote", "panel", "mediaSingle", "mediaGroup", "table", "expand"]);

/** An ADF document (or node) as plain text. */
export function adfToText(node: unknown): string {
  if (!node || typeof node !== "object") return typeof node === "string" ? node : "";
  const { type, text, attrs, content } = node as AdfNode;
  const children = (content ?? []).map(adfToText);
  switch (type) {
    case "text":
      return text ?? "";
    case "hardBreak":
      return "\n";
    case "mention":
    case "emoji":
      return String(attrs?.text ?? attrs?.shortName ?? "");
    case "inlineCard":
    case "blockCard":
      return String(attrs?.url ?? "");
    case "rule":
      return "---";
    case "bulletList":
      return children.map((child) => `- ${child}`).join("\n");
    case "orderedList":
      return children.map((child, index) => `${index + 1}. ${child}`).join("\n");
    case "listItem":
      return children.join("\n");
    case "tableCell":
    case "tableHeader":
      return children.join(" ");
    case "tableRow":
      return children.join(" | ");
    case "doc":
      return children.join("\n\n").trim();
    default:
      return blockContainers.has(type) ? children.join("\n") : children.join("");
  }
}
