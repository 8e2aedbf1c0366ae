import { listIntegrationsEndpoint } from "@/lib/api/v1/integrations";
import { withApiAuth } from "@/lib/api/with-api-auth";
import { listIntegrationCatalog } from "@/lib/integrations/catalog";

export const dynamic = "force-dynamic";

export const GET = withApiAuth(listIntegrationsEndpoint, async () => listIntegrationCatalog());
