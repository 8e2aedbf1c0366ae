import { createInvitationEndpoint, listInvitationsEndpoint } from "@/lib/api/v1/orgs";
import { withApiAuth } from "@/lib/api/with-api-auth";
import { createOrgInvitation, listOrgInvitations } from "@/lib/orgs/org-invitations";
import { resolveWorkspace } from "@/lib/orgs/workspace";

export const dynamic = "force-dynamic";

export const GET = withApiAuth(listInvitationsEndpoint, async ({ user, params }) =>
  listOrgInvitations(await resolveWorkspace(user.id, params.id)),
);

export const POST = withApiAuth(createInvitationEndpoint, async ({ user, params, body, context }) =>
  createOrgInvitation(await resolveWorkspace(user.id, params.id), body, context),
);
