import { getUsageEndpoint } from "@/lib/api/v1/usage";
import { withApiAuth } from "@/lib/api/with-api-auth";
import { resolveWorkspace } from "@/lib/orgs/workspace";
import { getWorkspaceUsage } from "@/lib/quota/usage";

export const dynamic = "force-dynamic";

export const GET = withApiAuth(getUsageEndpoint, async ({ user, query }) =>
  getWorkspaceUsage(await resolveWorkspace(user.id, query.orgId)),
);
