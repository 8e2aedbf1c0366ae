// Any other path under /api/v1: the API's JSON error shape rather than the HTML 404 page.
import { apiNotFoundResponse } from "@/lib/api/error-response";

export const dynamic = "force-dynamic";

async function handle(request: Request): Promise<Response> {
  return apiNotFoundResponse(request);
}

export { handle as DELETE, handle as GET, handle as PATCH, handle as POST, handle as PUT };
