// The API's base URL: the one the person gave, else the description's first server with its
// variables filled in (the person's values, else the defaults), relative to where the
// description was published.
import { AppError } from "@/lib/errors/app-error";
import type { LoadedDocument } from "./load-document";

function invalid(field: string, message: string): AppError {
  return new AppError("validation_failed", message, { field });
}

export function resolveBaseUrl(
  loaded: LoadedDocument,
  given: string | undefined,
  variables: Record<string, string> = {},
): string {
  if (given) return given.replace(/\/+$/, "");
  const server = loaded.api.servers?.[0];
  if (!server?.url) throw invalid("baseUrl", 'The description names no server: give the API\'s "baseUrl".');
  let url = server.url;
  for (const [name, variable] of Object.entries(server.variables ?? {})) {
    const value = variables[name] ?? variable.default;
    if (value === undefined)
      throw invalid(`serverVariables.${name}`, `The server URL needs a value for "${name}".`);
    if (variable.enum?.length && !variable.enum.includes(value))
      throw invalid(
        `serverVariables.${name}`,
        `"${value.slice(0, 100)}" is not one of the values of "${name}": ${variable.enum.join(", ")}.`,
      );
    url = url.split(`{${name}}`).join(value);
  }
  if (/[{}]/.test(url))
    throw invalid("serverVariables", `The server URL "${url}" still has variables to fill in.`);
  let resolved: URL;
  try {
    resolved = loaded.url ? new URL(url, loaded.url) : new URL(url);
  } catch {
    throw invalid(
      "baseUrl",
      `The description's server "${url.slice(0, 200)}" is not a full URL: give the API's "baseUrl".`,
    );
  }
  if (resolved.protocol !== "http:" && resolved.protocol !== "https:")
    throw invalid(
      "baseUrl",
      `The description's server "${resolved.href.slice(0, 200)}" is not http(s): give the API's "baseUrl".`,
    );
  return resolved.href.replace(/\/+$/, "");
}
