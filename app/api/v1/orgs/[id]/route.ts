import { deleteOrgEndpoint, getOrgEndpoint, renameOrgEndpoint } from "@/lib/api/v1/orgs";
import { withApiAuth } from "@/lib/api/with-api-auth";
import { deleteOrg, getOrg, renameOrg } from "@/lib/orgs/manage-orgs";
import { resolveWorkspace } from "@/lib/orgs/workspace";

export const dynamic = "force-dynamic";

export const GET = withApiAuth(getOrgEndpoint, async ({ user, params }) =>
  getOrg(await resolveWorkspace(user.id, params.id)),
);

export const PATCH = withApiAuth(renameOrgEndpoint, async ({ user, params, body, context }) => {
  await renameOrg(await resolveWorkspace(user.id, params.id), body.name, context);
  return getOrg(await resolveWorkspace(user.id, params.id));
});

export const DELETE = withApiAuth(deleteOrgEndpoint, async ({ user, params, context }) =>
  deleteOrg(await resolveWorkspace(user.id, params.id), context),
);
