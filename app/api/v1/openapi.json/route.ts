import { getOpenApiEndpoint } from "@/lib/api/v1/meta";
import { getOpenApiDocument } from "@/lib/api/v1/openapi";
import { withPublicEndpoint } from "@/lib/api/with-api-auth";

// Dynamic so that the servers URL follows APP_URL at run time, not at build time.
export const dynamic = "force-dynamic";

export const GET = withPublicEndpoint(getOpenApiEndpoint, async () => getOpenApiDocument());
