// Reads a request body as JSON, with a size cap, and validates it with the endpoint's schema.
// Not JSON at all is a 400; JSON of the wrong shape is a 422 that names each field.
import type { z } from "zod";
import { AppError } from "@/lib/errors/app-error";
import { readRequestText } from "@/lib/http/read-body";
import { toValidationError } from "./validation-error";

export const maxBodyBytes = 1_048_576;
// Far deeper than any body of this API, and shallow enough for recursive code (validators,
// JSON.stringify) to walk without overflowing the stack.
export const maxBodyDepth = 64;

/** Whether `value` nests deeper than `limit` arrays and objects; walks without recursion. */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (next.value === null || typeof next.value !== "object") continue;
    if (next.depth >= limit) return true;
    for (const item of Object.values(next.value)) pending.push({ value: item, depth: next.depth + 1 });
  }
  return false;
}

export async function readJsonBody<Schema extends z.ZodType>(
  request: Request,
  schema: Schema,
): Promise<z.output<Schema>> {
  const text = await readRequestText(request, maxBodyBytes);
  if (text === null)
    throw new AppError("payload_too_large", `The request body is larger than ${maxBodyBytes} bytes.`);
  if (text.trim() === "") throw new AppError("bad_request", "This request needs a JSON body.");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "The request body is not valid JSON.");
  }
  if (nestsDeeperThan(json, maxBodyDepth))
    throw new AppError("bad_request", `The request body nests more than ${maxBodyDepth} levels deep.`);
  const parsed = await schema.safeParseAsync(json);
  if (!parsed.success) throw toValidationError(parsed.error, "body");
  return parsed.data;
}
