// What a new connection must bring, decided by the app's auth definition: key-style apps need
// exactly their declared credential fields; OAuth apps are connected in the browser; apps
// without auth need no connection at all.
import type { IntegrationDefinition } from "@/integrations/sdk/define";
import { AppError } from "@/lib/errors/app-error";

export function checkCredentials(
  integration: IntegrationDefinition,
  credentials: Record<string, string>,
): Record<string, string> {
  const { auth } = integration;
  if (auth.type === "none")
    throw new AppError(
      "validation_failed",
      `${integration.name} needs no connection: its actions work without an account.`,
      { field: "integration" },
    );
  if (auth.type === "oauth2")
    throw new AppError(
      "validation_failed",
      `${integration.name} uses OAuth: connect it in the browser, from the Connections page.`,
      { field: "integration" },
    );
  const known = new Set(auth.fields.map((field) => field.name));
  for (const name of Object.keys(credentials)) {
    if (!known.has(name))
      throw new AppError(
        "validation_failed",
        `"${name}" is not a credential of ${integration.name}. Its credentials are: ${[...known].join(", ")}.`,
        { field: `credentials.${name}` },
      );
  }
  const checked: Record<string, string> = {};
  for (const field of auth.fields) {
    const value = credentials[field.name]?.trim();
    if (!value)
      throw new AppError(
        "validation_failed",
        `Enter your ${field.label}: ${integration.name} needs it to act for you.`,
        { field: `credentials.${field.name}` },
      );
    checked[field.name] = value;
  }
  return checked;
}
