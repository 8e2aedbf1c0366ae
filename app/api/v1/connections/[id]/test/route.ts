import { testConnectionEndpoint } from "@/lib/api/v1/connections";
import { withApiAuth } from "@/lib/api/with-api-auth";
import { testConnection } from "@/lib/connections/test-connection";

export const dynamic = "force-dynamic";

export const POST = withApiAuth(testConnectionEndpoint, ({ user, params }) =>
  testConnection(user.id, params.id),
);
