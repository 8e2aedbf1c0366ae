// What an added app says about one of its actions (an upstream MCP tool, an OpenAPI operation), as
// stored and pinned: untrusted data, capped before anything keeps it, hashed canonically so that any
// change (a word of the description, a field of the schema, where the request goes) is a new hash.
import { createHash } from "node:crypto";
import { z } from "zod";
import type { ActionAnnotations } from "@/integrations/sdk/define";

/** Caps on what an upstream may put in front of an AI app or a person. */
export const definitionLimits = {
  title: 200,
  description: 4_000,
  /** The JSON of an input or output schema. */
  schemaBytes: 64_000,
  /** The JSON of the kind's own part (where an OpenAPI operation's request goes). */
  invokeBytes: 32_000,
} as const;

const jsonObject = z.record(z.string(), z.unknown());

const annotationsSchema = z.object({
  readOnly: z.boolean(),
  destructive: z.boolean(),
  idempotent: z.boolean(),
  openWorld: z.boolean(),
});

export const actionDefinitionSchema = z.object({
  title: z.string().max(definitionLimits.title),
  description: z.string().max(definitionLimits.description),
  /** JSON Schema of an object: the action's input. */
  inputSchema: jsonObject,
  outputSchema: jsonObject.optional(),
  annotations: annotationsSchema,
  /** The kind's own data for running the action (an OpenAPI operation's method, path, parameters). */
  invoke: z.unknown().optional(),
});
export type ActionDefinitionData = z.infer<typeof actionDefinitionSchema>;

/** What a driver read from the upstream for one action, before capping and scanning. */
export type DiscoveredAction = {
  /** The upstream's own name (an MCP tool's name, an operationId or "GET /pets/{id}"). */
  upstreamName: string;
  title?: string;
  description?: string;
  inputSchema?: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
  annotations?: Partial<ActionAnnotations>;
  invoke?: unknown;
};

/** Annotations when the upstream says nothing: MCP's defaults (may write, may destroy, open world). */
const defaultAnnotations: ActionAnnotations = {
  readOnly: false,
  destructive: true,
  idempotent: false,
  openWorld: true,
};

function cut(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

function jsonSize(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value ?? null));
}

export class DefinitionTooLargeError extends Error {}

/**
 * The definition as it is stored: title and description cut to their caps, schemas refused when
 * larger than theirs (a cut schema would be a different contract), an input schema always an object.
 */
export function normalizeDefinition(found: DiscoveredAction): ActionDefinitionData {
  const inputSchema = found.inputSchema ?? { type: "object", properties: {} };
  if (inputSchema.type !== "object")
    throw new DefinitionTooLargeError(`${found.upstreamName}: the input schema is not an object schema.`);
  for (const [label, value, max] of [
    ["input schema", inputSchema, definitionLimits.schemaBytes],
    ["output schema", found.outputSchema, definitionLimits.schemaBytes],
    ["request description", found.invoke, definitionLimits.invokeBytes],
  ] as const)
    if (jsonSize(value) > max)
      throw new DefinitionTooLargeError(`${found.upstreamName}: the ${label} is larger than ${max} bytes.`);
  return {
    title: cut(found.title?.trim() || found.upstreamName, definitionLimits.title),
    description: cut(found.description?.trim() ?? "", definitionLimits.description),
    inputSchema,
    ...(found.outputSchema && { outputSchema: found.outputSchema }),
    annotations: { ...defaultAnnotations, ...found.annotations },
    ...(found.invoke !== undefined && { invoke: found.invoke }),
  };
}

/** JSON with object keys sorted at every depth, so equal definitions hash equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object")
    return `{${Object.keys(value)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
      .join(",")}}`;
  return JSON.stringify(value ?? null);
}

/** The pin: SHA-256 of the canonical JSON of the upstream's name and the definition. */
export function hashDefinition(upstreamName: string, definition: ActionDefinitionData): string {
  return createHash("sha256").update(canonicalJson({ upstreamName, definition })).digest("hex");
}
