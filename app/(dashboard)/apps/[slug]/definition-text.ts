// An added app's action definition as a person reviews it: as lines of text (title, description,
// annotations, schemas, where the request goes), with characters a reader cannot see spelled out as
// <U+XXXX>, and a line diff between the accepted definition and the current one.
import type { ActionDefinitionData } from "@/lib/apps/action-definition";

// biome-ignore lint/suspicious/noMisleadingCharacterClass: a list of code points to find, one by one
const invisible = /[\p{Cf}\u115F\u1160\u3164\uFFA0\uFE00-\uFE0F\u{E0100}-\u{E01EF}]/gu;

/** The text with every invisible or direction-changing character shown by its code point. */
export function showInvisible(text: string): string {
  return text.replace(
    invisible,
    (char) => `<U+${char.codePointAt(0)?.toString(16).toUpperCase().padStart(4, "0")}>`,
  );
}

function block(label: string, value: unknown): string[] {
  if (value === undefined) return [];
  const text = typeof value === "string" ? value : JSON.stringify(value, null, 2);
  return [`${label}:`, ...text.split("\n").map((line) => `  ${line}`)];
}

/** The definition as lines a person can read and compare. */
export function definitionLines(definition: ActionDefinitionData | null): string[] {
  if (!definition) return [];
  return [
    `title: ${definition.title}`,
    ...block("description", definition.description),
    ...block("annotations", definition.annotations),
    ...block("inputSchema", definition.inputSchema),
    ...block("outputSchema", definition.outputSchema),
    ...block("invoke", definition.invoke),
  ].map(showInvisible);
}

export type DiffLine = { kind: "same" | "removed" | "added"; text: string };

/** A line diff (longest common subsequence): what was accepted (removed) against what is now (added). */
export function diffLines(before: string[], after: string[]): DiffLine[] {
  const rows = before.length;
  const columns = after.length;
  // common[i][j]: the length of the longest common subsequence of before[i..] and after[j..].
  const common = Array.from({ length: rows + 1 }, () => new Uint32Array(columns + 1));
  for (let i = rows - 1; i >= 0; i--)
    for (let j = columns - 1; j >= 0; j--)
      common[i]![j] =
        before[i] === after[j]
          ? common[i + 1]![j + 1]! + 1
          : Math.max(common[i + 1]![j]!, common[i]![j + 1]!);
  const lines: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < rows || j < columns) {
    if (i < rows && j < columns && before[i] === after[j]) {
      lines.push({ kind: "same", text: before[i]! });
      i++;
      j++;
    } else if (i < rows && (j === columns || common[i + 1]![j]! >= common[i]![j + 1]!)) {
      lines.push({ kind: "removed", text: before[i]! });
      i++;
    } else {
      lines.push({ kind: "added", text: after[j]! });
      j++;
    }
  }
  return lines;
}
