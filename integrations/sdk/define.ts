// The integration SDK: an app is a manifest of actions, and each action is one zod schema plus
// one function. The same schema drives the configuration form, argument validation and the MCP
// input schema, so field descriptions, enums and defaults carry through everywhere.
import type { z } from "zod";

export type ActionAnnotations = {
  readOnly: boolean;
  destructive: boolean;
  idempotent: boolean;
  /** Whether the action reaches outside the platform (a third-party API). */
  openWorld: boolean;
};

export type ActionContext<Input, Auth> = {
  input: Input;
  auth: Auth;
  /** Aborted when the call times out or is cancelled; pass it to every request. */
  signal: AbortSignal;
  /** Reports progress (0..total) to the MCP client while the call runs. */
  progress: (done: number, total?: number, message?: string) => Promise<void>;
};

export type ActionDefinition<
  Input extends z.ZodObject = z.ZodObject,
  Output extends z.ZodType = z.ZodType,
  Auth = unknown,
> = {
  key: string;
  title: string;
  description: string;
  input: Input;
  /** When declared, results are also returned as MCP structured content. */
  output?: Output;
  annotations: ActionAnnotations;
  /** How long one run may take; 30 s when not given. */
  timeoutMs?: number;
  run: (context: ActionContext<z.output<Input>, Auth>) => Promise<z.input<Output>>;
};

export type CredentialField = { name: string; label: string; secret: boolean; help?: string };

export type AuthDefinition =
  | { type: "none" }
  | { type: "api_key"; fields: CredentialField[] }
  | { type: "basic"; fields: CredentialField[] }
  | {
      type: "oauth2";
      authorizeUrl: string;
      tokenUrl: string;
      scopes: string[];
      pkce: boolean;
    };

export type IntegrationDefinition<Auth = unknown> = {
  slug: string;
  name: string;
  description: string;
  category: string;
  auth: AuthDefinition;
  // biome-ignore lint/suspicious/noExplicitAny: an integration holds actions of many input types
  actions: ActionDefinition<any, any, Auth>[];
};

export function defineAction<Input extends z.ZodObject, Output extends z.ZodType = z.ZodType, Auth = unknown>(
  definition: ActionDefinition<Input, Output, Auth>,
): ActionDefinition<Input, Output, Auth> {
  return definition;
}

export function defineIntegration<Auth = unknown>(
  definition: IntegrationDefinition<Auth>,
): IntegrationDefinition<Auth> {
  const keys = new Set<string>();
  for (const action of definition.actions) {
    if (keys.has(action.key)) throw new Error(`${definition.slug}: duplicate action key "${action.key}"`);
    keys.add(action.key);
  }
  return definition;
}

export const noAuth: AuthDefinition = { type: "none" };

/** Annotations of an action that only computes: no side effects, nothing outside the platform. */
export const pureComputation: ActionAnnotations = {
  readOnly: true,
  destructive: false,
  idempotent: true,
  openWorld: false,
};
