// The page shown instead of one that cannot be shown (not found, failed): what happened in plain
// words and where to go next, in the site's own look in light and dark mode.
import type { ReactNode } from "react";

export function StatusPage({
  code,
  title,
  children,
  actions,
}: {
  code: string;
  title: string;
  children: ReactNode;
  actions: ReactNode;
}) {
  return (
    <section aria-labelledby="status-title" className="mx-auto max-w-lg py-16 text-center">
      <p className="text-sm font-semibold text-brand-600 dark:text-brand-300">{code}</p>
      <h1
        id="status-title"
        className="mt-2 text-2xl font-bold tracking-tight text-zinc-900 dark:text-zinc-100"
      >
        {title}
      </h1>
      <div className="mt-3 text-zinc-600 dark:text-zinc-300">{children}</div>
      <div className="mt-8 flex flex-wrap items-center justify-center gap-3">{actions}</div>
    </section>
  );
}
