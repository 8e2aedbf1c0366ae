import { listCallsEndpoint } from "@/lib/api/v1/calls";
import { withApiAuth } from "@/lib/api/with-api-auth";
import { listCalls } from "@/lib/calls/list-calls";

export const dynamic = "force-dynamic";

export const GET = withApiAuth(listCallsEndpoint, ({ user, query }) => listCalls(user.id, query));
