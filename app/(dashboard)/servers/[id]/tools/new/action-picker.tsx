"use client";
// Step 1 of adding a tool: a grid of the apps to start from, or, as the person types, the actions
// that match (by app name, action title or description). Without JavaScript the form submits ?q=
// and the page filters the same way. Step 2 (an app chosen, ?app=) lists that app's actions.
import Link from "next/link";
import { useState } from "react";
import { AppLogo } from "@/components/app-logo";
import { NotSetUpLine } from "@/components/app-not-set-up";
import { Badge } from "@/components/kit/badge";
import { Button, buttonClasses } from "@/components/kit/button";
import { EmptyState } from "@/components/kit/card";
import { inputClasses } from "@/components/kit/fields";

export type PickerApp = {
  slug: string;
  name: string;
  description: string;
  needsAccount: boolean;
  connected: boolean;
  /** An OAuth app whose client is not set up: no account can be connected yet. */
  notSetUp: boolean;
  actions: Array<{ key: string; title: string; description: string }>;
};

/** Apps with the actions that match every word of the query (all actions of an app whose name matches). */
export function filterApps(apps: PickerApp[], query: string): PickerApp[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return apps;
  return apps.flatMap((app) => {
    const appText = `${app.name} ${app.slug}`.toLowerCase();
    const actions = app.actions.filter((action) => {
      const text = `${appText} ${action.title} ${action.description}`.toLowerCase();
      return words.every((word) => text.includes(word));
    });
    return actions.length > 0 ? [{ ...app, actions }] : [];
  });
}

export function ActionPicker({
  serverId,
  apps,
  initialQuery,
  viewerIsAdmin,
}: {
  serverId: string;
  apps: PickerApp[];
  initialQuery: string;
  viewerIsAdmin: boolean;
}) {
  const [query, setQuery] = useState(initialQuery);
  const matches = filterApps(apps, query);
  const count = matches.reduce((sum, app) => sum + app.actions.length, 0);
  const basePath = `/servers/${serverId}/tools/new`;
  return (
    <div className="space-y-6">
      <search>
        <form
          action={basePath}
          method="get"
          className="flex flex-wrap items-end gap-2"
          onSubmit={(event) => event.preventDefault()}
        >
          <div className="min-w-0 flex-1 space-y-1">
            <label htmlFor="action-search" className="block text-sm font-medium">
              Search apps and actions
            </label>
            <input
              id="action-search"
              name="q"
              type="search"
              value={query}
              autoComplete="off"
              placeholder='An app or a task, like "Slack" or "create task"'
              aria-describedby="action-search-count"
              className={inputClasses}
              onChange={(event) => {
                setQuery(event.target.value);
                const url = new URL(window.location.href);
                if (event.target.value) url.searchParams.set("q", event.target.value);
                else url.searchParams.delete("q");
                window.history.replaceState(window.history.state, "", url);
              }}
            />
          </div>
          <Button type="submit">Search</Button>
        </form>
      </search>
      <p id="action-search-count" role="status" className="text-sm text-zinc-600 dark:text-zinc-400">
        {count === 1 ? "1 action" : `${count} actions`}
        {query.trim() ? ` match "${query.trim()}"` : ` in ${apps.length} apps`}.
      </p>
      {!query.trim() ? (
        <AppGrid apps={apps} basePath={basePath} viewerIsAdmin={viewerIsAdmin} />
      ) : matches.length === 0 ? (
        <EmptyState
          title="No action matches your search"
          action={
            <Link href={basePath} className={buttonClasses("secondary", "sm")} onClick={() => setQuery("")}>
              Show all apps
            </Link>
          }
        >
          Try the app's name or a simpler word, like "email", "task" or "text".
        </EmptyState>
      ) : (
        <div className="space-y-6">
          {matches.map((app) => (
            <AppActions key={app.slug} app={app} basePath={basePath} viewerIsAdmin={viewerIsAdmin} />
          ))}
        </div>
      )}
    </div>
  );
}

function AccountBadge({ app, viewerIsAdmin }: { app: PickerApp; viewerIsAdmin: boolean }) {
  if (!app.needsAccount) return null;
  if (app.notSetUp) return <NotSetUpLine app={app} viewerIsAdmin={viewerIsAdmin} />;
  return app.connected ? (
    <Badge tone="success">Account connected</Badge>
  ) : (
    <Badge tone="warning">Needs an account</Badge>
  );
}

/** The apps to start from, as logos: each opens its own list of actions. */
function AppGrid({
  apps,
  basePath,
  viewerIsAdmin,
}: {
  apps: PickerApp[];
  basePath: string;
  viewerIsAdmin: boolean;
}) {
  return (
    <ul aria-label="Apps" className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-4">
      {apps.map((app) => (
        <li
          key={app.slug}
          data-app-card={app.slug}
          className="relative flex h-full flex-col items-start gap-2 rounded-xl border border-zinc-200 bg-white p-3 hover:border-brand-500 has-[a:focus-visible]:outline-2 has-[a:focus-visible]:outline-offset-2 has-[a:focus-visible]:outline-brand-500 dark:border-zinc-800 dark:bg-zinc-900"
        >
          <AppLogo slug={app.slug} name={app.name} size={32} />
          {/* The link covers the whole card; a "set it up" link in it sits above. */}
          <Link
            href={`${basePath}?app=${encodeURIComponent(app.slug)}`}
            className="font-semibold text-zinc-900 after:absolute after:inset-0 focus-visible:outline-none dark:text-zinc-100"
          >
            {app.name}
          </Link>
          <span className="text-xs text-zinc-600 dark:text-zinc-400">
            {app.actions.length === 1 ? "1 action" : `${app.actions.length} actions`}
          </span>
          <AccountBadge app={app} viewerIsAdmin={viewerIsAdmin} />
        </li>
      ))}
    </ul>
  );
}

/** One app's actions, each a link to setting it up as a tool. */
export function AppActions({
  app,
  basePath,
  viewerIsAdmin,
}: {
  app: PickerApp;
  basePath: string;
  viewerIsAdmin: boolean;
}) {
  return (
    <section
      aria-labelledby={`app-${app.slug}`}
      className="rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900"
      data-app={app.slug}
    >
      <div className="flex flex-wrap items-center gap-3">
        <AppLogo slug={app.slug} name={app.name} size={28} />
        <h2 id={`app-${app.slug}`} className="text-lg font-semibold">
          {app.name}
        </h2>
        <AccountBadge app={app} viewerIsAdmin={viewerIsAdmin} />
      </div>
      <ul className="mt-3 divide-y divide-zinc-200 dark:divide-zinc-800">
        {app.actions.map((action) => (
          <li key={action.key}>
            <Link
              href={`${basePath}?app=${encodeURIComponent(app.slug)}&action=${encodeURIComponent(action.key)}`}
              className="-mx-2 block rounded-md px-2 py-2.5 hover:bg-zinc-50 dark:hover:bg-zinc-800"
            >
              <span className="block font-medium text-brand-700 dark:text-blue-300">{action.title}</span>
              <span className="block text-sm text-zinc-600 dark:text-zinc-400">{action.description}</span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
