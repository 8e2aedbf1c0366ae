// The client ID metadata document of an upstream MCP app's OAuth client: public, fetched by the
// upstream's authorization server from the URL that is also the client_id (mcp-oauth-client.ts).
// It names the app and the exact redirect URI, nothing secret; only apps that use it have one.
import { getDb } from "@/lib/db/client";
import { oauthRedirectUri } from "@/lib/oauth/authorization";
import { mcpAuthSchema } from "./mcp-app-config";
import { clientMetadataDocumentUrl, clientMetadataOf } from "./mcp-oauth-client";

/** The document for the app with this slug, or undefined when it has none. */
export async function clientMetadataDocumentOf(slug: string) {
  const row = await getDb().app.findFirst({
    where: { slug, kind: "MCP" },
    select: { slug: true, name: true, auth: true },
  });
  const auth = row && mcpAuthSchema.safeParse(row.auth);
  if (!row || !auth?.success || auth.data.type !== "oauth2" || !auth.data.clientIdMetadataDocument)
    return undefined;
  return {
    client_id: clientMetadataDocumentUrl(row.slug),
    ...clientMetadataOf(row, oauthRedirectUri(row.slug), auth.data),
  };
}
