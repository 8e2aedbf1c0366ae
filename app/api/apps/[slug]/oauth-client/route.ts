import { clientMetadataDocumentOf } from "@/lib/apps/mcp/client-metadata-document";

export const dynamic = "force-dynamic";

// Public: an upstream's authorization server fetches it, with no session.
export async function GET(_request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const document = await clientMetadataDocumentOf(slug.slice(0, 100));
  if (!document)
    return Response.json({ error: { code: "not_found", message: "No such client." } }, { status: 404 });
  return Response.json(document, { headers: { "Cache-Control": "public, max-age=300" } });
}
