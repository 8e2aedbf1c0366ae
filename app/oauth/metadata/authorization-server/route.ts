// Authorization-server metadata (RFC 8414), also served as the OpenID discovery document that
// some clients try first. next.config.ts rewrites both well-known URLs here.
import { preflight, serveAuthorizationServerMetadata } from "@/lib/authorization-server/endpoints";

export const dynamic = "force-dynamic";

export { preflight as OPTIONS, serveAuthorizationServerMetadata as GET };
