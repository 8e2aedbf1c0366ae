import { handleOAuthCallback } from "@/lib/oauth/browser-routes";

export const dynamic = "force-dynamic";

export const GET = handleOAuthCallback;
