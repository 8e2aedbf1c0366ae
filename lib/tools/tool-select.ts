// The columns of a configured tool that describe and run it, shared by the management API and the
// MCP endpoint's snapshot, and how its stored field settings are read for either.
import { findAction } from "@/integrations/registry";
import { type FieldSettings, fieldSettingsSchema, hideClearSecretValues } from "./field-settings";

export const toolConfigSelect = {
  id: true,
  name: true,
  description: true,
  integration: true,
  action: true,
  connectionId: true,
  fields: true,
} as const;

/** A tool's stored field settings, never with a secret value in them. */
export function readFieldSettings(tool: {
  integration: string;
  action: string;
  fields: unknown;
}): FieldSettings {
  const stored = fieldSettingsSchema.safeParse(tool.fields).data ?? {};
  const found = findAction(tool.integration, tool.action);
  return found ? hideClearSecretValues(found.action, stored) : stored;
}
