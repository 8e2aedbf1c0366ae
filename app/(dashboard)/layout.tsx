import Link from "next/link";
import type { ReactNode } from "react";
import { SignOutButton } from "@/components/sign-out-button";
import { requireUser } from "@/lib/auth/session";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  return (
    <div className="min-h-screen">
      <header className="border-b border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
        <nav
          aria-label="Main"
          className="mx-auto flex max-w-5xl items-center justify-between gap-4 px-4 py-3"
        >
          <Link href="/" className="font-semibold text-brand-600 dark:text-brand-500">
            Toolgate
          </Link>
          <div className="flex items-center gap-3">
            <span
              className="hidden text-sm text-zinc-600 sm:inline dark:text-zinc-400"
              data-testid="signed-in-as"
            >
              {user.email}
            </span>
            <SignOutButton />
          </div>
        </nav>
      </header>
      <main className="mx-auto max-w-5xl px-4 py-8">{children}</main>
    </div>
  );
}
