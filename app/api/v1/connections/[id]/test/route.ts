import { testConnectionEndpoint } from "@/lib/api/v1/connections";
import { workspaceOfRequest } from "@/lib/api/v1/org-scope";
import { withApiAuth } from "@/lib/api/with-api-auth";
import { testConnection } from "@/lib/connections/test-connection";

export const dynamic = "force-dynamic";

export const POST = withApiAuth(testConnectionEndpoint, async ({ user, query, params }) =>
  testConnection(await workspaceOfRequest(user.id, query.orgId), params.id),
);
