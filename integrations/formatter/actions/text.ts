import { z } from "zod";
import { defineAction, pureComputation } from "@/integrations/sdk/define";

export const transformText = defineAction({
  key: "transform_text",
  title: "Transform text",
  description: "Change the case of text, trim it, or turn it into a URL slug.",
  input: z.object({
    text: z.string().max(100_000).describe("The text to transform."),
    operation: z
      .enum(["uppercase", "lowercase", "titlecase", "capitalize", "trim", "slugify"])
      .describe("What to do with the text."),
  }),
  output: z.object({ result: z.string() }),
  annotations: pureComputation,
  run: async ({ input: { text, operation } }) => {
    const operations: Record<typeof operation, (value: string) => string> = {
      uppercase: (value) => value.toUpperCase(),
      lowercase: (value) => value.toLowerCase(),
      titlecase: (value) =>
        value
          .toLowerCase()
          .replace(/(^|\s)(\p{L})/gu, (_, space, letter: string) => space + letter.toUpperCase()),
      capitalize: (value) => value.charAt(0).toUpperCase() + value.slice(1),
      trim: (value) => value.trim(),
      slugify: (value) =>
        value
          .normalize("NFKD")
          .replace(/[\u0300-\u036f]/g, "")
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, "-")
          .replace(/^-+|-+$/g, ""),
    };
    return { result: operations[operation](text) };
  },
});

export const countText = defineAction({
  key: "count_text",
  title: "Count characters, words and lines",
  description: "Count the characters, words and lines in a piece of text.",
  input: z.object({ text: z.string().max(1_000_000).describe("The text to count.") }),
  output: z.object({ characters: z.number().int(), words: z.number().int(), lines: z.number().int() }),
  annotations: pureComputation,
  run: async ({ input: { text } }) => ({
    characters: [...text].length,
    words: text.trim() === "" ? 0 : text.trim().split(/\s+/u).length,
    lines: text === "" ? 0 : text.split(/\r\n|\r|\n/).length,
  }),
});

export const replaceText = defineAction({
  key: "replace_text",
  title: "Find and replace",
  description: "Replace occurrences of a piece of text with another.",
  input: z.object({
    text: z.string().max(100_000).describe("The text to search in."),
    find: z.string().min(1).max(1_000).describe("The text to find (matched literally, case-sensitive)."),
    replace: z.string().max(10_000).default("").describe("What to put in its place."),
    all: z.boolean().default(true).describe("Replace every occurrence, or only the first."),
  }),
  output: z.object({ result: z.string(), replacements: z.number().int() }),
  annotations: pureComputation,
  run: async ({ input: { text, find, replace, all } }) => {
    const parts = text.split(find);
    const replacements = all ? parts.length - 1 : Math.min(1, parts.length - 1);
    const result = all ? parts.join(replace) : text.replace(find, () => replace);
    return { result, replacements };
  },
});

export const truncateText = defineAction({
  key: "truncate_text",
  title: "Truncate text",
  description: "Shorten text to at most a number of characters, adding a suffix when it was cut.",
  input: z.object({
    text: z.string().max(1_000_000).describe("The text to shorten."),
    max_length: z
      .number()
      .int()
      .min(1)
      .max(100_000)
      .describe("The most characters to keep, suffix included."),
    suffix: z.string().max(20).default("…").describe("Appended when the text was cut."),
  }),
  output: z.object({ result: z.string(), truncated: z.boolean() }),
  annotations: pureComputation,
  run: async ({ input: { text, max_length, suffix } }) => {
    const characters = [...text];
    if (characters.length <= max_length) return { result: text, truncated: false };
    const keep = Math.max(0, max_length - [...suffix].length);
    return { result: characters.slice(0, keep).join("") + suffix, truncated: true };
  },
});

export const splitText = defineAction({
  key: "split_text",
  title: "Split text",
  description: "Split text into parts at a separator.",
  input: z.object({
    text: z.string().max(1_000_000).describe("The text to split."),
    separator: z.string().min(1).max(100).default(",").describe("Where to split."),
    trim: z.boolean().default(true).describe("Trim spaces around each part."),
  }),
  output: z.object({ parts: z.array(z.string()), count: z.number().int() }),
  annotations: pureComputation,
  run: async ({ input: { text, separator, trim } }) => {
    const parts = text.split(separator).map((part) => (trim ? part.trim() : part));
    return { parts, count: parts.length };
  },
});
