// Every admin page sits under this layout, which lets only administrators through (anyone else
// gets the not-found page). Server actions check the role themselves (runAdminAction).
import type { ReactNode } from "react";
import { requireAdmin } from "@/lib/auth/session";
import { AdminNav } from "./admin-nav";

export default async function AdminLayout({ children }: { children: ReactNode }) {
  await requireAdmin();
  return (
    <div className="space-y-6">
      <nav aria-label="Administration" className="border-b border-zinc-200 pb-2 dark:border-zinc-800">
        <AdminNav />
      </nav>
      {children}
    </div>
  );
}
