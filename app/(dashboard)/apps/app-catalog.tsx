"use client";
// The searchable catalog. The server renders it already filtered by ?q= (a plain GET form works
// without JavaScript); in the browser it filters as the person types and keeps ?q= in the address.
import Link from "next/link";
import { type ChangeEvent, type FormEvent, useId, useMemo, useState } from "react";
import { AppLogo } from "@/components/app-logo";
import { NotSetUpLine } from "@/components/app-not-set-up";
import { Badge } from "@/components/kit/badge";
import { Button, buttonClasses } from "@/components/kit/button";
import { EmptyState } from "@/components/kit/card";
import { AuthBadge } from "./auth-badge";
import { type AppSummary, filterApps, groupByCategory, maxQueryLength } from "./filter-apps";

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

function categoryId(category: string): string {
  return `category-${category.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
}

export function AppCatalog({
  apps,
  initialQuery,
  viewerIsAdmin,
}: {
  apps: AppSummary[];
  initialQuery: string;
  viewerIsAdmin: boolean;
}) {
  const [query, setQuery] = useState(initialQuery);
  const groups = useMemo(() => groupByCategory(filterApps(apps, query)), [apps, query]);
  const shown = groups.reduce((total, group) => total + group.apps.length, 0);
  const hintId = useId();

  function onChange(event: ChangeEvent<HTMLInputElement>) {
    const value = event.target.value;
    setQuery(value);
    // The address follows the search, so reloading or sharing the page shows the same list.
    const url = new URL(window.location.href);
    if (value.trim()) url.searchParams.set("q", value);
    else url.searchParams.delete("q");
    window.history.replaceState(null, "", url);
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    // Already filtered while typing; without JavaScript the form reloads the page with ?q=.
    event.preventDefault();
  }

  return (
    <div className="space-y-8">
      <search className="block max-w-xl">
        <form action="/apps" method="get" onSubmit={onSubmit} className="space-y-1">
          <label htmlFor="app-search" className="block text-sm font-medium">
            Search apps
          </label>
          <div className="flex gap-2">
            <input
              id="app-search"
              type="search"
              name="q"
              value={query}
              onChange={onChange}
              maxLength={maxQueryLength}
              autoComplete="off"
              placeholder="For example: issue, email, spreadsheet"
              aria-describedby={hintId}
              className="block w-full min-w-0 rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm shadow-sm placeholder:text-zinc-500 dark:border-zinc-700 dark:bg-zinc-900 dark:placeholder:text-zinc-400"
            />
            <Button type="submit">Search</Button>
          </div>
          <p id={hintId} className="text-xs text-zinc-600 dark:text-zinc-400">
            Searches app names, descriptions and what each app can do.
          </p>
        </form>
      </search>

      <p role="status" className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="apps-count">
        {query.trim()
          ? `${plural(shown, "app matches", "apps match")} “${query.trim()}”.`
          : `${plural(apps.length, "app", "apps")}.`}
      </p>

      {shown === 0 ? (
        <EmptyState
          title="No apps match your search"
          action={
            <Link href="/apps" className={buttonClasses("secondary")} onClick={() => setQuery("")}>
              Show all apps
            </Link>
          }
        >
          Try a shorter word, or what you want the AI to do, such as “email” or “task”.
        </EmptyState>
      ) : (
        groups.map((group) => (
          <section key={group.category} aria-labelledby={categoryId(group.category)}>
            <h2 id={categoryId(group.category)} className="mb-3 text-lg font-semibold">
              {group.category}
            </h2>
            <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
              {group.apps.map((app) => (
                <AppCard key={app.slug} app={app} viewerIsAdmin={viewerIsAdmin} />
              ))}
            </ul>
          </section>
        ))
      )}
    </div>
  );
}

function AppCard({ app, viewerIsAdmin }: { app: AppSummary; viewerIsAdmin: boolean }) {
  return (
    <li
      data-testid="app-card"
      data-slug={app.slug}
      className="relative flex flex-col rounded-xl border border-zinc-200 bg-white p-4 transition-colors hover:border-brand-500 has-[a:focus-visible]:outline-2 has-[a:focus-visible]:outline-offset-2 has-[a:focus-visible]:outline-brand-500 dark:border-zinc-800 dark:bg-zinc-900 dark:hover:border-brand-500"
    >
      <div className="flex items-start gap-3">
        <AppLogo slug={app.slug} name={app.name} size={40} />
        <div className="min-w-0">
          <h3 className="font-semibold">
            {/* The link covers the whole card; the card shows its focus. */}
            <Link
              href={`/apps/${app.slug}`}
              className="after:absolute after:inset-0 focus-visible:outline-none"
            >
              {app.name}
            </Link>
          </h3>
          <p className="mt-0.5 text-sm text-zinc-600 dark:text-zinc-400">{app.description}</p>
        </div>
      </div>
      <div className="mt-auto flex flex-wrap gap-2 pt-3">
        <Badge>{plural(app.actionTitles.length, "action", "actions")}</Badge>
        {app.authKind !== "oauth_not_set_up" && <AuthBadge kind={app.authKind} />}
        {app.connectionCount > 0 && (
          <Badge tone="success">
            {plural(app.connectionCount, "account connected", "accounts connected")}
          </Badge>
        )}
      </div>
      {app.authKind === "oauth_not_set_up" && (
        <div className="pt-2">
          <NotSetUpLine app={app} viewerIsAdmin={viewerIsAdmin} />
        </div>
      )}
    </li>
  );
}
