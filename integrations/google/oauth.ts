// Google's OAuth 2.0 for web server apps (https://developers.google.com/identity/protocols/oauth2/web-server),
// shared by Gmail, Google Sheets, Google Calendar and Google Drive: one OAuth client
// (GOOGLE_CLIENT_ID / GOOGLE_CLIENT_SECRET), each app asking for its own scopes.
import { type OAuth2Definition, oauth2 } from "@/integrations/sdk/define";

/**
 * The OAuth definition of a Google app. `access_type=offline` with `prompt=consent` makes Google
 * hand out a refresh token on every authorization (it gives one only on the first consent
 * otherwise), and `include_granted_scopes` keeps scopes granted earlier to the same client.
 */
export function googleOAuth(scopes: string[]): OAuth2Definition {
  return oauth2({
    settingsPrefix: "GOOGLE",
    clientName: "Google",
    consoleUrl: "https://console.cloud.google.com/apis/credentials",
    authorizeUrl: "https://accounts.google.com/o/oauth2/v2/auth",
    tokenUrl: "https://oauth2.googleapis.com/token",
    scopes,
    pkce: true,
    authorizeParams: { access_type: "offline", prompt: "consent", include_granted_scopes: "true" },
  });
}
