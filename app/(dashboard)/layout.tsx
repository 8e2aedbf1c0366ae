import Link from "next/link";
import type { ReactNode } from "react";
import { requireUser } from "@/lib/auth/session";
import { currentWorkspaceOf } from "@/lib/orgs/current-workspace";
import { listOrgsOf } from "@/lib/orgs/manage-orgs";
import { roleWords } from "@/lib/orgs/roles";
import { MainNav } from "./main-nav";
import { WorkspaceSwitcher } from "./workspace-switcher";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  const [orgs, workspace] = await Promise.all([listOrgsOf(user.id), currentWorkspaceOf(user)]);
  const choices = [
    { id: null, name: "Personal", role: null },
    ...orgs.map((org) => ({ id: org.id, name: org.name, role: roleWords[org.role] })),
  ];
  return (
    <div className="min-h-screen">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:shadow dark:focus:bg-zinc-900"
      >
        Skip to content
      </a>
      <header className="relative border-b border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
        <nav aria-label="Main" className="mx-auto flex max-w-6xl items-center gap-4 px-4 py-3">
          <Link href="/" className="font-semibold text-brand-600 dark:text-brand-300">
            Toolgate
          </Link>
          <WorkspaceSwitcher choices={choices} currentId={workspace.orgId} />
          <MainNav isAdmin={user.role === "ADMIN"} email={user.email} />
        </nav>
      </header>
      <main id="main" className="mx-auto max-w-6xl px-4 py-8">
        {children}
      </main>
    </div>
  );
}
