// How the connections of an added app sign in with OAuth: the endpoints a driver read from the
// upstream (stored in the app's `auth`, as each kind's auth schema says), turned into the
// OAuth2Definition the platform's OAuth flow uses, and the app's client, stored in AppOAuthClient
// with its secret sealed for the app. These endpoints come from an untrusted document or server:
// every request to them goes through the guarded client (client-config.ts marks them so).
import type { OAuth2Definition } from "@/integrations/sdk/define";
import { getDb } from "@/lib/db/client";
import { open, seal } from "@/lib/vault/vault";
import type { AppOAuthEndpoints } from "./app-oauth-endpoints";

// The endpoints' shape has no database behind it, so that document readers can use it alone.
export { type AppOAuthEndpoints, appOAuthEndpointsSchema } from "./app-oauth-endpoints";

/** The app's connection kind when it signs in with OAuth: always with PKCE (S256). */
export function oauthDefinitionOfApp(
  app: { id: string; slug: string; name: string },
  endpoints: AppOAuthEndpoints,
): OAuth2Definition {
  return {
    type: "oauth2",
    settingsPrefix: `APP_${app.slug.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`,
    clientName: app.name,
    authorizeUrl: endpoints.authorizeUrl,
    tokenUrl: endpoints.tokenUrl,
    scopes: endpoints.scopes,
    pkce: true,
    clientAuth: endpoints.clientAuth,
    addedAppId: app.id,
    ...(endpoints.resource && { resource: endpoints.resource }),
  };
}

export type AppOAuthClientRegistration = "owner" | "registration" | "metadata_document";

export type AppOAuthClientInput = {
  clientId: string;
  /** Absent for a public client. */
  clientSecret?: string;
  registeredBy: AppOAuthClientRegistration;
};

const sealContext = (appId: string) => ({ oauthClient: `app:${appId}` });

/** The app's client, its secret opened (for the authorize and token requests only). */
export async function readAppOAuthClient(
  appId: string,
): Promise<{ clientId: string; clientSecret?: string; registeredBy: string } | undefined> {
  const row = await getDb().appOAuthClient.findUnique({
    where: { appId },
    select: { clientId: true, secretCiphertext: true, registeredBy: true },
  });
  if (!row) return undefined;
  const clientSecret = row.secretCiphertext
    ? await open<string>(row.secretCiphertext, sealContext(appId))
    : undefined;
  return { clientId: row.clientId, registeredBy: row.registeredBy, ...(clientSecret && { clientSecret }) };
}

/** What may be shown of the app's client: never its secret, only whether one is set. */
export async function describeAppOAuthClient(
  appId: string,
): Promise<{ clientId: string; registeredBy: string; secretSet: boolean } | null> {
  const row = await getDb().appOAuthClient.findUnique({
    where: { appId },
    select: { clientId: true, registeredBy: true, secretCiphertext: true },
  });
  return row
    ? { clientId: row.clientId, registeredBy: row.registeredBy, secretSet: row.secretCiphertext !== null }
    : null;
}

export async function hasAppOAuthClient(appId: string): Promise<boolean> {
  return (await getDb().appOAuthClient.count({ where: { appId } })) > 0;
}

/** Stores (or replaces) the app's client, its secret sealed for the app. */
export async function saveAppOAuthClient(appId: string, client: AppOAuthClientInput): Promise<void> {
  const sealed = client.clientSecret ? await seal(client.clientSecret, sealContext(appId)) : undefined;
  const data = {
    clientId: client.clientId,
    secretCiphertext: sealed?.ciphertext ?? null,
    keyVersion: sealed?.keyVersion ?? null,
    registeredBy: client.registeredBy,
  };
  await getDb().appOAuthClient.upsert({ where: { appId }, create: { appId, ...data }, update: data });
}

export async function removeAppOAuthClient(appId: string): Promise<void> {
  await getDb().appOAuthClient.deleteMany({ where: { appId } });
}

/** For key rotation: the sealing context of an app's client secret. */
export const appOAuthClientSealContext = sealContext;
