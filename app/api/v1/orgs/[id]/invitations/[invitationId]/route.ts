import { revokeInvitationEndpoint } from "@/lib/api/v1/orgs";
import { withApiAuth } from "@/lib/api/with-api-auth";
import { revokeOrgInvitation } from "@/lib/orgs/org-invitations";
import { resolveWorkspace } from "@/lib/orgs/workspace";

export const dynamic = "force-dynamic";

export const DELETE = withApiAuth(revokeInvitationEndpoint, async ({ user, params, context }) =>
  revokeOrgInvitation(await resolveWorkspace(user.id, params.id), params.invitationId, context),
);
