import { getUsageEndpoint } from "@/lib/api/v1/usage";
import { withApiAuth } from "@/lib/api/with-api-auth";
import { getUsage } from "@/lib/quota/usage";

export const dynamic = "force-dynamic";

export const GET = withApiAuth(getUsageEndpoint, ({ user }) => getUsage(user.id));
