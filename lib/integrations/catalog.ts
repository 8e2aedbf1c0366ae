// The catalog of apps and their actions as callers see it (REST API, web UI): what each app
// needs to connect, and for each action the JSON Schema of its input exactly as the MCP tool
// built from it would show it with every field left to the AI.
import { z } from "zod";
import { integrations } from "@/integrations/registry";
import {
  type ActionAnnotations,
  type ActionDefinition,
  type AnnotationsByValue,
  type AuthDefinition,
  type CredentialField,
  describeOptionsSource,
  type IntegrationDefinition,
} from "@/integrations/sdk/define";
import { type AppOwner, listAddedApps } from "@/lib/apps/app-registry";
import { listSetUpClientPrefixes, oauthClientSettings, oauthDefinitionOf } from "@/lib/oauth/client-config";
import { buildToolInputSchema, type JsonSchemaObject } from "@/lib/tools/field-settings";

export type ToolAnnotationHints = {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
};

export type CatalogAction = {
  key: string;
  title: string;
  description: string;
  inputSchema: JsonSchemaObject;
  outputSchema?: Record<string, unknown>;
  annotations: ToolAnnotationHints;
  /** Annotations when a tool fixes this field to one of these values (see toolAnnotations). */
  annotationsByValue?: AnnotationsByValue<ToolAnnotationHints>;
  /** Fields whose choices can be listed from the user's account (GET .../options). */
  optionsFields: string[];
  /** For option fields whose list depends on other fields: those fields, by option field. */
  optionsDependOn: Record<string, string[]>;
};

export type CatalogIntegration = {
  slug: string;
  name: string;
  description: string;
  category: string;
  auth: {
    type: AuthDefinition["type"];
    fields: CredentialField[];
    /** OAuth apps: whether the operator set up the app's client, so that it can be connected. */
    configured?: boolean;
    /** OAuth apps: where the browser goes to connect an account. */
    connectPath?: string;
    /** OAuth apps: the settings that set up its client. */
    settings?: string[];
    /** An added app's OAuth client is set by whoever manages the app, on its page, not by an administrator. */
    clientOnAppPage?: boolean;
  };
  actions: CatalogAction[];
};

/** The annotations under the names MCP clients know them by. */
export function toAnnotationHints(annotations: ActionAnnotations): ToolAnnotationHints {
  return {
    readOnlyHint: annotations.readOnly,
    destructiveHint: annotations.destructive,
    idempotentHint: annotations.idempotent,
    openWorldHint: annotations.openWorld,
  };
}

export function buildOutputSchema(action: ActionDefinition): Record<string, unknown> | undefined {
  if (action.outputJsonSchema) return action.outputJsonSchema;
  if (!action.output) return undefined;
  const { $schema: _dialect, ...schema } = z.toJSONSchema(action.output, {
    io: "output",
    unrepresentable: "any",
  }) as Record<string, unknown>;
  return schema;
}

/** Key-style credentials are typed in; OAuth and "none" have no fields to fill. */
export function credentialFieldsOf(auth: AuthDefinition): CredentialField[] {
  return auth.type === "api_key" || auth.type === "basic" ? auth.fields : [];
}

function describeAction(action: ActionDefinition): CatalogAction {
  const outputSchema = buildOutputSchema(action);
  return {
    key: action.key,
    title: action.title,
    description: action.description,
    inputSchema: buildToolInputSchema(action, {}),
    ...(outputSchema && { outputSchema }),
    annotations: toAnnotationHints(action.annotations),
    ...(action.annotationsByValue && {
      annotationsByValue: {
        field: action.annotationsByValue.field,
        values: Object.fromEntries(
          Object.entries(action.annotationsByValue.values).map(([value, annotations]) => [
            value,
            toAnnotationHints(annotations),
          ]),
        ),
      },
    }),
    optionsFields: Object.keys(action.options ?? {}),
    optionsDependOn: Object.fromEntries(
      Object.entries(action.options ?? {}).flatMap(([field, source]) => {
        const { dependsOn } = describeOptionsSource(source);
        return dependsOn.length > 0 ? [[field, [...dependsOn]]] : [];
      }),
    ),
  };
}

function describeIntegration(integration: IntegrationDefinition): CatalogIntegration {
  return {
    slug: integration.slug,
    name: integration.name,
    description: integration.description,
    category: integration.category,
    auth: {
      type: integration.auth.type,
      fields: credentialFieldsOf(integration.auth),
      ...(integration.auth.type === "oauth2" && {
        connectPath: `/api/oauth/${integration.slug}/start`,
        settings: oauthClientSettings(integration.auth),
        ...(integration.auth.addedAppId && { clientOnAppPage: true }),
      }),
    },
    actions: integration.actions.map(describeAction),
  };
}

// The registry is fixed at build time, so the descriptions are computed once per process.
let catalog: CatalogIntegration[] | undefined;

/** The apps as the code defines them, without whether their OAuth clients are set up. */
export function describeIntegrations(): CatalogIntegration[] {
  catalog ??= integrations.map(describeIntegration);
  return catalog;
}

/**
 * The apps, each OAuth app saying whether it can be connected here (its client is set up): the
 * built-in ones, then the apps the workspace `owner` added, when given, with their served actions.
 */
export async function listIntegrationCatalog(owner?: AppOwner): Promise<CatalogIntegration[]> {
  const added = owner ? await listAddedApps(owner) : [];
  const all = [...integrations, ...added];
  const described = [...describeIntegrations(), ...added.map(describeIntegration)];
  // Read each time: it is configuration, which an administrator changes while the platform runs.
  const setUp = await listSetUpClientPrefixes(all.flatMap((entry) => oauthDefinitionOf(entry) ?? []));
  return described.map((entry, index) => {
    const definition = oauthDefinitionOf(all[index]!);
    return definition
      ? { ...entry, auth: { ...entry.auth, configured: setUp.has(definition.settingsPrefix) } }
      : entry;
  });
}
