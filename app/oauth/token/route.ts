// The token endpoint (RFC 6749 §3.2): codes and refresh tokens for access tokens.
import { preflight, serveToken } from "@/lib/authorization-server/endpoints";

export const dynamic = "force-dynamic";

export { preflight as OPTIONS, serveToken as POST };
