// The endpoints of an OpenAPI `openIdConnect` security scheme: its discovery document (OpenID
// Connect Discovery 1.0) read through the guarded client, as an untrusted answer: its issuer must
// be the one the document's URL names, and its endpoints must be http(s) URLs.
import { z } from "zod";
import { AppError } from "@/lib/errors/app-error";
import { guardedFetch } from "@/lib/http/guarded-fetch";

const maxDiscoveryBytes = 512 * 1024;
const wellKnownSuffix = "/.well-known/openid-configuration";

const httpUrl = z
  .string()
  .max(2_000)
  .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), "an http(s) URL");

const discoverySchema = z.object({
  issuer: z.string().max(2_000),
  authorization_endpoint: httpUrl,
  token_endpoint: httpUrl,
  token_endpoint_auth_methods_supported: z.array(z.string()).optional(),
});

export type OpenIdEndpoints = {
  issuer: string;
  authorizeUrl: string;
  tokenUrl: string;
  clientAuth: "basic" | "body";
};

function invalid(message: string): AppError {
  return new AppError("validation_failed", message, { field: "auth" });
}

/** The form when the provider lists it; else HTTP Basic, OpenID Connect's default. */
function clientAuthOf(methods: string[] | undefined): "basic" | "body" {
  return methods?.includes("client_secret_post") ? "body" : "basic";
}

export async function discoverOpenIdEndpoints(url: string, signal: AbortSignal): Promise<OpenIdEndpoints> {
  let body: unknown;
  try {
    const response = await guardedFetch(url, {
      signal,
      maxResponseBytes: maxDiscoveryBytes,
      headers: { accept: "application/json" },
    });
    if (response.status >= 400) throw new Error(`it answered HTTP ${response.status}`);
    body = response.json();
  } catch (error) {
    throw invalid(
      `The OpenID Connect discovery document ${url.slice(0, 300)} could not be read: ${(error as Error).message}`,
    );
  }
  const parsed = discoverySchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(
      `The OpenID Connect discovery document ${url.slice(0, 300)} is not usable: ${issue?.path.join(".") || "body"}: ${issue?.message ?? "invalid"}.`,
    );
  }
  const discovery = parsed.data;
  // OpenID Connect Discovery 4.3: the issuer is exactly the URL the well-known path was appended to.
  if (
    url.endsWith(wellKnownSuffix) &&
    discovery.issuer.replace(/\/$/, "") !== url.slice(0, -wellKnownSuffix.length).replace(/\/$/, "")
  )
    throw invalid(
      `The OpenID Connect discovery document names the issuer "${discovery.issuer.slice(0, 300)}", not the one it was read from.`,
    );
  return {
    issuer: discovery.issuer,
    authorizeUrl: discovery.authorization_endpoint,
    tokenUrl: discovery.token_endpoint,
    clientAuth: clientAuthOf(discovery.token_endpoint_auth_methods_supported),
  };
}
