// Token revocation (RFC 7009).
import { preflight, serveRevocation } from "@/lib/authorization-server/endpoints";

export const dynamic = "force-dynamic";

export { preflight as OPTIONS, serveRevocation as POST };
