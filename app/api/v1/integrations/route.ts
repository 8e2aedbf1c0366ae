import { listIntegrationsEndpoint } from "@/lib/api/v1/integrations";
import { workspaceOfRequest } from "@/lib/api/v1/org-scope";
import { withApiAuth } from "@/lib/api/with-api-auth";
import { listIntegrationCatalog } from "@/lib/integrations/catalog";

export const dynamic = "force-dynamic";

export const GET = withApiAuth(listIntegrationsEndpoint, async ({ user, query }) =>
  listIntegrationCatalog(await workspaceOfRequest(user.id, query.orgId)),
);
