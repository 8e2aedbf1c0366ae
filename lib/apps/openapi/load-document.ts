// Reads an OpenAPI description (3.0, 3.1, or Swagger 2.0 converted to 3.0) from what a person gave:
// the document itself (JSON or YAML) or its URL. Every document read, the first and each one a
// `$ref` names, goes through the guarded client (SSRF checks on every address and redirect, a
// timeout, a size cap); `file:` and any other scheme are refused. The parser validates the
// document and resolves every `$ref`; cycles stay as shared objects (see json-schema.ts).
import SwaggerParser from "@apidevtools/swagger-parser";
import { convertObj } from "swagger2openapi";
import { parse as parseYaml } from "yaml";
import { findUnstorableText, unstorableTextMessage } from "@/lib/db/storable-text";
import { AppError } from "@/lib/errors/app-error";
import { guardedFetch } from "@/lib/http/guarded-fetch";

/** All documents of one description together (GitHub's, the largest known, is 13 MB). */
export const maxDocumentBytes = 32 * 1024 * 1024;
/** Documents read for one description: the first and those its `$ref`s name. */
const maxDocuments = 50;

/** The base of an uploaded document: a relative `$ref` in it has nowhere to point. */
const uploadBase = "upload:/openapi";

export type OpenApiDocument = {
  openapi: string;
  info?: { title?: string; description?: string };
  servers?: { url: string; variables?: Record<string, { default?: string; enum?: string[] }> }[];
  paths?: Record<string, Record<string, unknown>>;
  components?: { securitySchemes?: Record<string, unknown> };
  security?: Record<string, string[]>[];
};

export type LoadedDocument = {
  /** The description as given (parsed, not resolved): what an upload keeps for a refresh. */
  original: Record<string, unknown>;
  /** Validated OpenAPI 3.x with every `$ref` replaced by what it names (may be cyclic). */
  api: OpenApiDocument;
  /** Where the description came from, to resolve a relative server URL. */
  url?: string;
};

function invalid(field: string, message: string): AppError {
  return new AppError("validation_failed", message, { field });
}

function parseText(text: string, field: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    // YAML 1.2 reads JSON too.
    parsed = parseYaml(text, { maxAliasCount: 1_000 });
  } catch (error) {
    throw invalid(field, `The OpenAPI description is neither JSON nor YAML: ${(error as Error).message}`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
    throw invalid(field, "The OpenAPI description must be a JSON or YAML object.");
  return parsed as Record<string, unknown>;
}

/** Reads one document by URL through the guarded client, within what is left of the size budget. */
async function fetchDocument(url: string, budget: { bytes: number; documents: number }, signal: AbortSignal) {
  const parsed = new URL(url);
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:")
    throw new Error(`only http and https documents can be read, not ${parsed.protocol}`);
  if (++budget.documents > maxDocuments)
    throw new Error(`more than ${maxDocuments} documents are referenced`);
  const response = await guardedFetch(parsed, {
    signal,
    maxResponseBytes: budget.bytes,
    headers: { accept: "application/json, application/yaml, text/yaml, */*" },
  });
  if (response.status >= 400) throw new Error(`${parsed.host} answered HTTP ${response.status}`);
  budget.bytes -= response.body.length;
  return response.body.toString("utf8");
}

/** The document as plain JSON PostgreSQL can keep: no cycles (YAML can make them), no NUL. */
function storableCopy(document: Record<string, unknown>, field: string): Record<string, unknown> {
  let copy: Record<string, unknown>;
  try {
    copy = JSON.parse(JSON.stringify(document));
  } catch {
    throw invalid(
      field,
      "The OpenAPI description refers to itself through YAML aliases; it must be plain JSON data.",
    );
  }
  const path = findUnstorableText(copy);
  if (path)
    throw invalid(
      field,
      `The OpenAPI description holds text that cannot be stored at ${path.join(".")}: ${unstorableTextMessage}`,
    );
  return copy;
}

/** A document a $ref names could not be read (refused, unreachable, too large, not http). */
class ReferenceReadError extends Error {}

/** A resolver's error, itself or wrapped by the parser (as `cause`, or among `errors`). */
function referenceFailure(error: unknown): ReferenceReadError | undefined {
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length > 0) {
    const current = pending.pop();
    if (!current || typeof current !== "object" || seen.has(current)) continue;
    seen.add(current);
    if (current instanceof ReferenceReadError) return current;
    const { cause, errors } = current as { cause?: unknown; errors?: unknown };
    pending.push(cause, ...(Array.isArray(errors) ? errors : []));
  }
  return undefined;
}

function describeFailure(error: unknown): string {
  const message = (error as Error)?.message ?? String(error);
  return message.replace(/^Error (downloading|resolving|reading) [^\n]*?\n?/, "").slice(0, 500);
}

export type DocumentInput =
  | { spec: string | Record<string, unknown>; specUrl?: undefined }
  | { spec?: undefined; specUrl: string };

export async function loadDocument(input: DocumentInput, signal: AbortSignal): Promise<LoadedDocument> {
  const budget = { bytes: maxDocumentBytes, documents: 0 };
  const field = input.specUrl !== undefined ? "specUrl" : "spec";
  let original: Record<string, unknown>;
  if (input.specUrl !== undefined) {
    let text: string;
    try {
      text = await fetchDocument(input.specUrl, budget, signal);
    } catch (error) {
      throw invalid("specUrl", `Could not read ${input.specUrl}: ${describeFailure(error)}`);
    }
    original = parseText(text, field);
  } else if (typeof input.spec === "string") {
    if (Buffer.byteLength(input.spec) > maxDocumentBytes)
      throw invalid("spec", `The OpenAPI description is larger than ${maxDocumentBytes} bytes.`);
    original = parseText(input.spec, field);
  } else {
    original = input.spec;
  }

  original = storableCopy(original, field);
  let document: Record<string, unknown> = structuredClone(original);
  if (document.swagger === "2.0") {
    try {
      // External $refs stay as they are: the parser below reads them through the guarded client.
      document = (await convertObj(document, { patch: true, warnOnly: true, resolve: false }))
        .openapi as Record<string, unknown>;
    } catch (error) {
      throw invalid(field, `The Swagger 2.0 description could not be converted: ${describeFailure(error)}`);
    }
  } else if (typeof document.openapi !== "string" || !/^3\.[01]\./.test(document.openapi)) {
    throw invalid(
      field,
      'This is not an OpenAPI 3.0/3.1 or Swagger 2.0 description (no "openapi" or "swagger" version).',
    );
  }

  const guarded = {
    order: 1,
    canRead: true,
    read: async (file: { url: string }) => {
      if (file.url.startsWith("upload:"))
        throw new ReferenceReadError(
          `the relative $ref "${file.url.slice("upload:".length)}" has no base: an uploaded description can only name documents by http(s) URL`,
        );
      try {
        return await fetchDocument(file.url, budget, signal);
      } catch (error) {
        throw new ReferenceReadError(`could not read ${file.url.slice(0, 300)}: ${(error as Error).message}`);
      }
    },
  };
  // The parser makes relative server URLs absolute but drops the port: they are resolved here.
  const servers = structuredClone(document.servers);
  let api: OpenApiDocument;
  try {
    api = (await SwaggerParser.validate(input.specUrl ?? uploadBase, document as never, {
      resolve: { file: false, http: false, guarded } as never,
      dereference: { circular: true },
    })) as unknown as OpenApiDocument;
  } catch (error) {
    const referenced = referenceFailure(error);
    throw invalid(
      field,
      referenced
        ? `A $ref of the OpenAPI description cannot be followed: ${referenced.message}`
        : `The OpenAPI description is not valid: ${describeFailure(error)}`,
    );
  }
  api.servers = servers as OpenApiDocument["servers"];
  return { original, api, ...(input.specUrl !== undefined && { url: input.specUrl }) };
}
