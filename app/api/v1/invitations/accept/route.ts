import { acceptInvitationEndpoint } from "@/lib/api/v1/orgs";
import { withApiAuth } from "@/lib/api/with-api-auth";
import { acceptOrgInvitation } from "@/lib/orgs/org-invitations";

export const dynamic = "force-dynamic";

export const POST = withApiAuth(acceptInvitationEndpoint, ({ user, body, context }) =>
  acceptOrgInvitation(user.id, body.token, context),
);
