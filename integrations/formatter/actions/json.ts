import { z } from "zod";
import { defineAction, pureComputation } from "@/integrations/sdk/define";

/** Splits `a.b[0]["c d"]` into ["a", "b", 0, "c d"]. */
export function parsePath(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  const pattern = /([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g;
  let consumed = 0;
  for (const match of path.matchAll(pattern)) {
    const between = path.slice(consumed, match.index);
    if (between !== "" && between !== ".")
      throw new Error(`Cannot read the path "${path}" near "${between}".`);
    consumed = match.index + match[0].length;
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else segments.push(JSON.parse(`"${match[3]}"`) as string);
  }
  if (path.slice(consumed) !== "") throw new Error(`Cannot read the path "${path}".`);
  return segments;
}

export const extractJson = defineAction({
  key: "extract_json",
  title: "Extract a value from JSON",
  description:
    'Parse a JSON document and return the value at a path such as "items[0].name". An empty path returns the whole document.',
  input: z.object({
    json: z.string().max(1_000_000).describe("The JSON document, as text."),
    path: z.string().max(500).default("").describe('Dot and bracket path, like "order.items[0].sku".'),
  }),
  output: z.object({ found: z.boolean(), value: z.unknown() }),
  annotations: pureComputation,
  run: async ({ input }) => {
    let value: unknown;
    try {
      value = JSON.parse(input.json);
    } catch (error) {
      throw new Error(`The text is not valid JSON: ${(error as Error).message}`);
    }
    for (const segment of input.path === "" ? [] : parsePath(input.path)) {
      if (value === null || typeof value !== "object" || !Object.hasOwn(value, segment))
        return { found: false, value: null };
      value = (value as Record<string | number, unknown>)[segment];
    }
    return { found: true, value };
  },
});
