// What an added app's stored `auth` holds when its connections sign in with OAuth: the endpoints
// its driver read from the upstream (a document, a server's metadata), untrusted.
import { z } from "zod";

const endpointUrl = z
  .string()
  .max(2_000)
  .refine(
    (value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol),
    "an http or https URL",
  );

/** What an app's `auth` holds when its connections sign in with OAuth (the `type` is the driver's). */
export const appOAuthEndpointsSchema = z.object({
  type: z.literal("oauth2"),
  authorizeUrl: endpointUrl,
  tokenUrl: endpointUrl,
  scopes: z.array(z.string().min(1).max(200)).max(100).default([]),
  /** RFC 8707: sent on the authorize, token and refresh requests (an MCP server's canonical URI). */
  resource: endpointUrl.optional(),
  /** How the client authenticates at the token endpoint; "none" for a public client. */
  clientAuth: z.enum(["basic", "body", "none"]).default("body"),
  /** The authorization server's issuer, when its metadata named one. */
  issuer: z.string().max(2_000).optional(),
});
export type AppOAuthEndpoints = z.infer<typeof appOAuthEndpointsSchema>;
