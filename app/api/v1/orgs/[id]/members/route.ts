import { listMembersEndpoint } from "@/lib/api/v1/orgs";
import { withApiAuth } from "@/lib/api/with-api-auth";
import { listMembers } from "@/lib/orgs/manage-orgs";
import { resolveWorkspace } from "@/lib/orgs/workspace";

export const dynamic = "force-dynamic";

export const GET = withApiAuth(listMembersEndpoint, async ({ user, params }) =>
  listMembers(await resolveWorkspace(user.id, params.id)),
);
