import { removeMemberEndpoint, updateMemberEndpoint } from "@/lib/api/v1/orgs";
import { withApiAuth } from "@/lib/api/with-api-auth";
import { removeMember } from "@/lib/orgs/manage-orgs";
import { updateMember } from "@/lib/orgs/update-member";
import { resolveWorkspace } from "@/lib/orgs/workspace";

export const dynamic = "force-dynamic";

export const PATCH = withApiAuth(updateMemberEndpoint, async ({ user, params, body, context }) =>
  updateMember(await resolveWorkspace(user.id, params.id), params.userId, body, context),
);

export const DELETE = withApiAuth(removeMemberEndpoint, async ({ user, params, context }) =>
  removeMember(await resolveWorkspace(user.id, params.id), params.userId, context),
);
