// Dynamic client registration (RFC 7591) for AI apps.
import { preflight, serveRegistration } from "@/lib/authorization-server/endpoints";

export const dynamic = "force-dynamic";

export { preflight as OPTIONS, serveRegistration as POST };
