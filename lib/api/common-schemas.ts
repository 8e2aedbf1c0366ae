// Schemas shared by every REST endpoint: timestamps on the wire, path ids, and the error body.
import { z } from "zod";
import { storableString } from "@/lib/db/storable-text";
import { appErrorCodes } from "@/lib/errors/app-error";

/** A Date in code, an ISO 8601 string in JSON: responses are encoded through it. */
export const timestampSchema = z.codec(z.iso.datetime(), z.date(), {
  decode: (text) => new Date(text),
  encode: (date) => date.toISOString(),
});

/** Ids are opaque; an id that names nothing the caller owns is a 404, whatever its shape. */
export const idSchema = storableString().min(1).max(100);

export const idParams = z.object({ id: idSchema });

export const apiErrorSchema = z
  .object({
    error: z.object({
      code: z.enum(appErrorCodes).describe("Stable, machine-readable; branch on this, not on the message."),
      message: z.string().describe("Safe to show to a person."),
      details: z
        .record(z.string(), z.unknown())
        .optional()
        .describe('Structured context, e.g. `issues: [{path, message}]` for "validation_failed".'),
    }),
  })
  .describe("Every error answer has this shape.");
export type ApiErrorBody = z.infer<typeof apiErrorSchema>;
