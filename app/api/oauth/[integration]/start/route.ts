import { handleOAuthStart } from "@/lib/oauth/browser-routes";

export const dynamic = "force-dynamic";

export const GET = handleOAuthStart;
