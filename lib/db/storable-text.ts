// What PostgreSQL can store: it refuses the NUL character in text and jsonb, and an unpaired
// UTF-16 surrogate in jsonb (JSON spells it "\ud800"; text would silently turn it into U+FFFD).
// Input is checked against this where it enters, so such a value is a named 422, never a 500.
import { z } from "zod";

export const unstorableTextMessage = "Must not contain NUL (U+0000) or unpaired surrogate characters.";
/** Marks the issue, so that callers can tell it from their schema's own (see with-api-auth.ts). */
const unstorableTextParams = { unstorableText: true } as const;

export function isUnstorableTextIssue(issue: z.core.$ZodIssue): boolean {
  return issue.code === "custom" && issue.params?.unstorableText === true;
}

const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function isStorableText(text: string): boolean {
  return !text.includes("\u0000") && !loneSurrogate.test(text);
}

/** A string schema that refuses what PostgreSQL cannot store; chain .trim(), .max() and so on. */
export function storableString(params?: Parameters<typeof z.string>[0]) {
  return z
    .string(params)
    .refine(isStorableText, { message: unstorableTextMessage, params: unstorableTextParams, abort: true });
}

type Visit = { value: unknown; key?: PropertyKey; parent?: Visit };

function pathOf(visit: Visit, key?: PropertyKey): PropertyKey[] {
  const reversed = key === undefined ? [] : [key];
  for (let at: Visit | undefined = visit; at?.parent; at = at.parent) reversed.push(at.key!);
  return reversed.reverse();
}

/**
 * The path to the first string or object key in a JSON value that PostgreSQL cannot store, or
 * null. Walks without recursion, so that no nesting depth can overflow the stack.
 */
export function findUnstorableText(value: unknown): PropertyKey[] | null {
  const pending: Visit[] = [{ value }];
  for (let visit = pending.pop(); visit; visit = pending.pop()) {
    const current = visit.value;
    if (typeof current === "string") {
      if (!isStorableText(current)) return pathOf(visit);
    } else if (Array.isArray(current)) {
      for (const [index, item] of current.entries()) pending.push({ value: item, key: index, parent: visit });
    } else if (current !== null && typeof current === "object") {
      for (const [key, item] of Object.entries(current)) {
        if (!isStorableText(key)) return pathOf(visit, key);
        pending.push({ value: item, key, parent: visit });
      }
    }
  }
  return null;
}

/** A JSON value (z.json()) whose strings and keys PostgreSQL can all store. */
export function storableJson() {
  return z.json().superRefine((value, context) => {
    const path = findUnstorableText(value);
    if (path)
      context.addIssue({
        code: "custom",
        message: unstorableTextMessage,
        params: unstorableTextParams,
        path,
      });
  });
}
