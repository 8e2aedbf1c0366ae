"use client";
// The header's workspace switcher: a button naming the current workspace opens a list of the
// person's workspaces (personal first, then each organization with their role); one click on
// another switches to it and reloads the page in it. Escape or a click outside closes the list.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState, useTransition } from "react";
import { switchWorkspaceAction } from "./workspace-actions";

export type WorkspaceChoice = { id: string | null; name: string; role: string | null };

const itemClasses =
  "flex w-full items-center justify-between gap-3 rounded-md px-3 py-2 text-left text-sm text-zinc-800 hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-brand-600 aria-[current=true]:bg-brand-600/10 aria-[current=true]:font-semibold dark:text-zinc-100 dark:hover:bg-zinc-800";

export function WorkspaceSwitcher({
  choices,
  currentId,
}: {
  choices: WorkspaceChoice[];
  currentId: string | null;
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const current = choices.find((choice) => choice.id === currentId) ?? choices[0];

  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      setOpen(false);
      toggle.current?.focus();
    };
    const onClick = (event: MouseEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("mousedown", onClick);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("mousedown", onClick);
    };
  }, [open]);

  function choose(choice: WorkspaceChoice) {
    setError(undefined);
    if (choice.id === currentId) {
      setOpen(false);
      return;
    }
    startTransition(async () => {
      const result = await switchWorkspaceAction(choice.id);
      if (!result.ok) {
        setError(result.message);
        return;
      }
      setOpen(false);
      router.refresh();
    });
  }

  return (
    <div ref={root} className="relative min-w-0">
      <button
        ref={toggle}
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        aria-busy={pending || undefined}
        onClick={() => setOpen(!open)}
        data-testid="workspace-switcher"
        className="flex max-w-36 items-center gap-1.5 rounded-md border border-zinc-300 px-2.5 py-1.5 text-sm font-medium text-zinc-800 hover:bg-zinc-100 sm:max-w-64 dark:border-zinc-700 dark:text-zinc-100 dark:hover:bg-zinc-800"
      >
        <span className="sr-only">Workspace: </span>
        <span className="truncate">{current?.name ?? "Personal"}</span>
        <span aria-hidden="true" className="text-xs text-zinc-600 dark:text-zinc-400">
          ▾
        </span>
      </button>
      <div
        id={panelId}
        hidden={!open}
        className="absolute left-0 top-full z-50 mt-1 w-72 max-w-[calc(100vw-2rem)] rounded-lg border border-zinc-200 bg-white p-1 shadow-lg dark:border-zinc-800 dark:bg-zinc-900"
      >
        <p className="px-3 pb-1 pt-2 text-xs font-medium uppercase tracking-wide text-zinc-600 dark:text-zinc-400">
          Switch workspace
        </p>
        <ul aria-label="Workspaces">
          {choices.map((choice) => (
            <li key={choice.id ?? "personal"}>
              <button
                type="button"
                aria-current={choice.id === currentId ? "true" : undefined}
                disabled={pending}
                onClick={() => choose(choice)}
                className={itemClasses}
              >
                <span className="min-w-0 truncate">{choice.name}</span>
                <span className="shrink-0 text-xs font-normal text-zinc-600 dark:text-zinc-400">
                  {choice.role ?? "Just you"}
                </span>
              </button>
            </li>
          ))}
        </ul>
        {error && (
          <p role="alert" className="px-3 py-2 text-sm text-red-700 dark:text-red-400">
            {error}
          </p>
        )}
        <div className="mt-1 border-t border-zinc-200 pt-1 dark:border-zinc-800">
          <Link href="/orgs/new" onClick={() => setOpen(false)} className={itemClasses}>
            New organization
          </Link>
        </div>
      </div>
    </div>
  );
}
