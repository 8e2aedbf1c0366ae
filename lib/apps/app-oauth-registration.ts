// An added app's OAuth client, registered when the first person connects: its driver registers one
// at the upstream's authorization server (one registration per app, serialised across processes so
// that two people connecting at once do not each register and overwrite the other's), and it is
// stored for every later connection and refresh.
import { withCredentialsLock } from "@/lib/oauth/credentials-lock";
import { driverOf } from "./app-drivers";
import { readAppOAuthClient, saveAppOAuthClient } from "./app-oauth";
import { loadAppRecord } from "./app-registry";

/** Registrations answer within this, or connecting fails with the upstream's silence as the reason. */
const registrationTimeoutMs = 20_000;

/** Whether the app has a client now: it had one, or its driver registered one. */
export async function ensureAppOAuthClient(appId: string, redirectUri: string): Promise<boolean> {
  if (await readAppOAuthClient(appId)) return true;
  return withCredentialsLock(`app-client:${appId}`, async () => {
    if (await readAppOAuthClient(appId)) return true;
    const app = await loadAppRecord(appId);
    const register = app && driverOf(app.kind).registerOAuthClient;
    if (!app || !register) return false;
    const client = await register(app, redirectUri, AbortSignal.timeout(registrationTimeoutMs));
    if (!client) return false;
    await saveAppOAuthClient(appId, client);
    return true;
  });
}
