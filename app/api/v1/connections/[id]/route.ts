import { deleteConnectionEndpoint } from "@/lib/api/v1/connections";
import { withApiAuth } from "@/lib/api/with-api-auth";
import { deleteConnection } from "@/lib/connections/manage-connections";

export const dynamic = "force-dynamic";

export const DELETE = withApiAuth(deleteConnectionEndpoint, ({ user, params, context }) =>
  deleteConnection(user.id, params.id, context),
);
