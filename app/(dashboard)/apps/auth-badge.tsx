// How an app is connected, in plain words, for the catalog and the app pages (and any page that
// lists apps).
import { Badge } from "@/components/kit/badge";
import type { CatalogIntegration } from "@/lib/integrations/catalog";

export type AuthKind = "none" | "key" | "oauth" | "oauth_not_set_up";

export function authKindOf(auth: Pick<CatalogIntegration["auth"], "type" | "configured">): AuthKind {
  if (auth.type === "none") return "none";
  if (auth.type === "oauth2") return auth.configured === false ? "oauth_not_set_up" : "oauth";
  // Basic auth (Jira, Twilio) is a key by another name for the person connecting.
  return "key";
}

export const authKindLabels: Record<AuthKind, string> = {
  none: "No account needed",
  key: "API key",
  oauth: "Sign in with OAuth",
  oauth_not_set_up: "Sign in with OAuth, not set up yet",
};

const tones = { none: "success", key: "neutral", oauth: "neutral", oauth_not_set_up: "warning" } as const;

export function AuthBadge({ kind }: { kind: AuthKind }) {
  return <Badge tone={tones[kind]}>{authKindLabels[kind]}</Badge>;
}
