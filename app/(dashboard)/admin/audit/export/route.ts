// GET /admin/audit/export: the audit trail as a CSV download, with the page's filters. Route
// handlers are not covered by the admin layout, so this one checks the session and the role
// itself; anyone but an active administrator gets a plain 404, as the admin pages do.
import { exportAuditCsv, parseAuditFilters } from "@/lib/admin/audit";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getUserFromCookies } from "@/lib/auth/session";
import { forwardedClientIp } from "@/lib/http/client-address";

export const dynamic = "force-dynamic";

const notFound = () =>
  new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });

export async function GET(request: Request): Promise<Response> {
  // The session's user is already refused when suspended or signed in before a password change.
  const user = await getUserFromCookies(request.headers.get("cookie") ?? "");
  if (user?.role !== "ADMIN") return notFound();

  const { filters, errors } = parseAuditFilters(new URL(request.url).searchParams);
  if (Object.keys(errors).length > 0)
    return Response.json(
      { error: { code: "validation_failed", message: "Some filters are not valid.", details: errors } },
      { status: 422 },
    );
  await recordAuditEvent(
    {
      actorId: user.id,
      ip: forwardedClientIp(request.headers),
      userAgent: request.headers.get("user-agent"),
    },
    "audit.exported",
    undefined,
    { filters },
  );
  const stamp = new Date().toISOString().slice(0, 19).replaceAll(/[-:]/g, "").replace("T", "-");
  return new Response(exportAuditCsv(filters), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8; header=present",
      "Content-Disposition": `attachment; filename="toolgate-audit-${stamp}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
