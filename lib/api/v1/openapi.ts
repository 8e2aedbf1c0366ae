// The OpenAPI 3.1 description of /api/v1, generated from the endpoint table: the very schemas
// the route handlers parse requests and encode responses with, converted by z.toJSONSchema.
// Requests and responses are both described on their wire side (`io: "input"`): a request is
// parsed from it, a response is encoded to it.
import { z } from "zod";
import { getAppUrl } from "@/env";
import { apiErrorSchema } from "@/lib/api/common-schemas";
import type { AnyEndpoint } from "@/lib/api/define-endpoint";
import { endpoints } from "./endpoints";

type JsonObject = Record<string, unknown>;

const errorStatuses: Record<number, { name: string; description: string }> = {
  400: { name: "BadRequest", description: "The body is missing or is not JSON (`bad_request`)." },
  401: {
    name: "Unauthorized",
    description: "No token, or an invalid, expired or revoked one (`unauthorized`).",
  },
  403: {
    name: "Forbidden",
    description: "The account is suspended (`suspended`), or a cross-origin request (`forbidden`).",
  },
  404: { name: "NotFound", description: "Nothing of yours has this id (`not_found`)." },
  409: { name: "Conflict", description: "The name is taken (`conflict`)." },
  413: { name: "PayloadTooLarge", description: "The body is over 1 MiB (`payload_too_large`)." },
  422: {
    name: "ValidationFailed",
    description:
      "The input breaks a rule (`validation_failed`); `details.issues` lists `{in, path, message}` per field, or `details.field` names it.",
  },
  429: {
    name: "RateLimited",
    description:
      "The app asked this connection to slow down (`rate_limited`); the message says for how long.",
  },
  500: { name: "InternalError", description: "A fault on our side (`internal_error`); nothing leaks." },
  502: {
    name: "UpstreamError",
    description: "The third-party app refused or failed (`upstream_error`); the message is the app's.",
  },
  503: { name: "ServiceUnavailable", description: "A backing service is down; retry shortly." },
};

/** Converts zod schemas into a document, moving each `$defs` entry into components. */
class SchemaConverter {
  readonly components: Record<string, JsonObject> = {};
  private readonly namesByContent = new Map<string, string>();

  convert(schema: z.ZodType): JsonObject {
    const {
      $schema: _dialect,
      $defs,
      ...rest
    } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonObject & {
      $defs?: Record<string, JsonObject>;
    };
    if (!$defs) return rest;
    // A `#/$defs/...` reference would resolve against the document's root in OpenAPI, so each
    // definition becomes a shared component (identical ones, like a JSON value, only once).
    const renamed = new Map<string, string>();
    for (const [name, definition] of Object.entries($defs)) {
      const content = JSON.stringify(definition);
      let target = this.namesByContent.get(content);
      if (!target) {
        target = `Shared${this.namesByContent.size + 1}`;
        this.namesByContent.set(content, target);
      }
      renamed.set(name, target);
    }
    const rewrite = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(rewrite);
      if (value === null || typeof value !== "object") return value;
      return Object.fromEntries(
        Object.entries(value).map(([key, inner]) => {
          if (key === "$ref" && typeof inner === "string" && inner.startsWith("#/$defs/")) {
            return [key, `#/components/schemas/${renamed.get(inner.slice("#/$defs/".length))}`];
          }
          return [key, rewrite(inner)];
        }),
      );
    };
    for (const [name, definition] of Object.entries($defs)) {
      this.components[renamed.get(name)!] ??= rewrite(definition) as JsonObject;
    }
    return rewrite(rest) as JsonObject;
  }
}

function describeParameters(
  converter: SchemaConverter,
  schema: z.ZodType | undefined,
  location: "path" | "query",
): JsonObject[] {
  if (!schema) return [];
  const converted = converter.convert(schema) as {
    properties?: Record<string, JsonObject>;
    required?: string[];
  };
  return Object.entries(converted.properties ?? {}).map(([name, property]) => {
    const { description, ...propertySchema } = property;
    return {
      name,
      in: location,
      required: location === "path" || (converted.required ?? []).includes(name),
      ...(description !== undefined && { description }),
      schema: propertySchema,
    };
  });
}

function describeOperation(converter: SchemaConverter, endpoint: AnyEndpoint): JsonObject {
  const responses: JsonObject = {
    [endpoint.status]:
      endpoint.status === 204 || !endpoint.response
        ? { description: "Done; no content." }
        : {
            description: endpoint.summary,
            content: { "application/json": { schema: converter.convert(endpoint.response) } },
          },
  };
  const common = endpoint.auth ? [401, 403, 500] : [500];
  for (const status of [...new Set([...endpoint.errors, ...common])].sort((a, b) => a - b)) {
    const known = errorStatuses[status];
    if (!known) throw new Error(`${endpoint.operationId}: no description for status ${status}`);
    responses[status] = { $ref: `#/components/responses/${known.name}` };
  }
  const parameters = [
    ...describeParameters(converter, endpoint.params, "path"),
    ...describeParameters(converter, endpoint.query, "query"),
  ];
  return {
    operationId: endpoint.operationId,
    summary: endpoint.summary,
    ...(endpoint.description && { description: endpoint.description }),
    tags: [endpoint.tag],
    ...(!endpoint.auth && { security: [] }),
    ...(parameters.length > 0 && { parameters }),
    ...(endpoint.body && {
      requestBody: {
        required: true,
        content: { "application/json": { schema: converter.convert(endpoint.body) } },
      },
    }),
    responses,
  };
}

function generateDocument(appUrl: string): JsonObject {
  const converter = new SchemaConverter();
  const paths: Record<string, JsonObject> = {};
  for (const endpoint of endpoints) {
    paths[endpoint.path] ??= {};
    paths[endpoint.path]![endpoint.method.toLowerCase()] = describeOperation(converter, endpoint);
  }
  const errorResponses = Object.fromEntries(
    Object.values(errorStatuses).map(({ name, description }) => [
      name,
      { description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
    ]),
  );
  return {
    openapi: "3.1.0",
    info: {
      title: "Toolgate REST API",
      version: "1.0.0",
      description:
        "Manage MCP servers, their tools and your connected accounts, and read usage and call history. Authenticate with a personal API token (`npm run cli -- tokens create`) as `Authorization: Bearer <token>`. Every error answers `{ error: { code, message, details? } }`.",
    },
    servers: [{ url: `${appUrl}/api/v1` }],
    security: [{ bearerAuth: [] }],
    tags: [...new Set(endpoints.map((endpoint) => endpoint.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", description: "A personal API token (`tgp_...`)." },
      },
      schemas: { Error: converter.convert(apiErrorSchema), ...converter.components },
      responses: errorResponses,
    },
  };
}

const documents = new Map<string, JsonObject>();

export function getOpenApiDocument(appUrl = getAppUrl()): JsonObject {
  let document = documents.get(appUrl);
  if (!document) {
    document = generateDocument(appUrl);
    documents.set(appUrl, document);
  }
  return document;
}
