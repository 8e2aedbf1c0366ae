// The app as the tool form needs it: which account kind it takes, and, for an OAuth app nobody
// has set up yet, who is looking (an administrator is sent to set it up, anyone else to ask one).
import type { CatalogIntegration } from "@/lib/integrations/catalog";

export type ToolFormApp = {
  slug: string;
  name: string;
  authType: string;
  notSetUp?: { viewerIsAdmin: boolean };
};

export function toolFormApp(app: CatalogIntegration, viewerIsAdmin: boolean): ToolFormApp {
  return {
    slug: app.slug,
    name: app.name,
    authType: app.auth.type,
    ...(app.auth.configured === false && { notSetUp: { viewerIsAdmin } }),
  };
}
