import type { ReactNode } from "react";
import { loadServer } from "./load-server";

// The ownership check runs here, above this route's loading state, so that an unknown or foreign
// id is answered before any streaming starts: a real 404 status, not a 200 with a 404 page.
export default async function ServerLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ id: string }>;
}) {
  await loadServer((await params).id);
  return children;
}
