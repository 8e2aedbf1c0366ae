import { createOrgEndpoint, listOrgsEndpoint } from "@/lib/api/v1/orgs";
import { withApiAuth } from "@/lib/api/with-api-auth";
import { createOrg, listOrgsOf } from "@/lib/orgs/manage-orgs";

export const dynamic = "force-dynamic";

export const GET = withApiAuth(listOrgsEndpoint, ({ user }) => listOrgsOf(user.id));

export const POST = withApiAuth(createOrgEndpoint, async ({ user, body, context }) => ({
  ...(await createOrg(user.id, body.name, context)),
  role: "OWNER" as const,
}));
