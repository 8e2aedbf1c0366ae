import { listCallsEndpoint } from "@/lib/api/v1/calls";
import { withApiAuth } from "@/lib/api/with-api-auth";
import { listCalls } from "@/lib/calls/list-calls";
import { resolveWorkspace } from "@/lib/orgs/workspace";

export const dynamic = "force-dynamic";

export const GET = withApiAuth(listCallsEndpoint, async ({ user, query: { orgId, ...query } }) =>
  listCalls(await resolveWorkspace(user.id, orgId), query),
);
