// Reads a request body as JSON, with a size cap, and validates it with the endpoint's schema.
// Not JSON at all is a 400; JSON of the wrong shape is a 422 that names each field.
import type { z } from "zod";
import { AppError } from "@/lib/errors/app-error";
import { toValidationError } from "./validation-error";

export const maxBodyBytes = 1_048_576;

export async function readJsonBody<Schema extends z.ZodType>(
  request: Request,
  schema: Schema,
): Promise<z.output<Schema>> {
  const tooLarge = () =>
    new AppError("payload_too_large", `The request body is larger than ${maxBodyBytes} bytes.`);
  if (Number(request.headers.get("content-length") ?? "0") > maxBodyBytes) throw tooLarge();
  const text = await request.text();
  if (Buffer.byteLength(text) > maxBodyBytes) throw tooLarge();
  if (text.trim() === "") throw new AppError("bad_request", "This request needs a JSON body.");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "The request body is not valid JSON.");
  }
  const parsed = await schema.safeParseAsync(json);
  if (!parsed.success) throw toValidationError(parsed.error, "body");
  return parsed.data;
}
