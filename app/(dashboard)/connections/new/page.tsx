// Connecting an account to one app (`?app=<slug>`): a form for key-style apps, a "continue to the
// app" step for OAuth apps, and a pointer onward for apps that need no account. Without `app`,
// the apps that take an account, to pick from.
import type { Metadata } from "next";
import Link from "next/link";
import { AppLogo } from "@/components/app-logo";
import { NotSetUpLine, NotSetUpNotice } from "@/components/app-not-set-up";
import { Button } from "@/components/kit/button";
import { Card, EmptyState } from "@/components/kit/card";
import { TextField } from "@/components/kit/fields";
import { Notice } from "@/components/kit/notice";
import { BackLink, PageHeader } from "@/components/kit/page-header";
import { UseInServer } from "@/components/use-in-server";
import { type CatalogIntegration, listIntegrationCatalog } from "@/lib/integrations/catalog";
import { requireWorkspace } from "@/lib/orgs/current-workspace";
import { listServers } from "@/lib/servers/manage-servers";
import { toolFormReturnPath } from "@/lib/web/return-path";
import { ConnectKeyForm } from "./connect-form";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

async function findApp(slug: string | string[] | undefined): Promise<CatalogIntegration | undefined> {
  if (typeof slug !== "string") return undefined;
  const { workspace } = await requireWorkspace();
  return (await listIntegrationCatalog(workspace)).find((app) => app.slug === slug);
}

export async function generateMetadata({ searchParams }: { searchParams: SearchParams }): Promise<Metadata> {
  const app = await findApp((await searchParams).app);
  return { title: app ? `Connect ${app.name}` : "Connect an account" };
}

async function AppPicker({ unknown, viewerIsAdmin }: { unknown?: string; viewerIsAdmin: boolean }) {
  const { workspace } = await requireWorkspace();
  const apps = (await listIntegrationCatalog(workspace))
    .filter((app) => app.auth.type !== "none")
    .sort((a, b) => a.name.localeCompare(b.name));
  return (
    <div>
      <PageHeader
        title="Connect an account"
        description="Choose the app whose account your tools should use."
      />
      {unknown && (
        <div className="mb-4">
          <Notice tone="warning">There is no app called “{unknown}”. Choose one below.</Notice>
        </div>
      )}
      <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
        {apps.map((app) =>
          app.auth.configured === false ? (
            // Nothing to connect yet: the card says why instead of leading to a page that fails.
            <li
              key={app.slug}
              data-app-card={app.slug}
              className="flex h-full items-start gap-3 rounded-xl border border-dashed border-zinc-300 bg-white p-4 dark:border-zinc-700 dark:bg-zinc-900"
            >
              <AppLogo slug={app.slug} name={app.name} size={32} />
              <div className="space-y-1">
                <p className="font-semibold">{app.name}</p>
                <p className="text-sm text-zinc-600 dark:text-zinc-400">{app.description}</p>
                <NotSetUpLine app={app} viewerIsAdmin={viewerIsAdmin} />
              </div>
            </li>
          ) : (
            <li key={app.slug} data-app-card={app.slug}>
              <Link
                href={`/connections/new?app=${app.slug}`}
                className="flex h-full items-start gap-3 rounded-xl border border-zinc-200 bg-white p-4 hover:border-brand-500 dark:border-zinc-800 dark:bg-zinc-900"
              >
                <AppLogo slug={app.slug} name={app.name} size={32} />
                <span>
                  <span className="block font-semibold">{app.name}</span>
                  <span className="block text-sm text-zinc-600 dark:text-zinc-400">{app.description}</span>
                </span>
              </Link>
            </li>
          ),
        )}
      </ul>
    </div>
  );
}

function OAuthStep({
  app,
  returnTo,
  viewerIsAdmin,
}: {
  app: CatalogIntegration;
  returnTo?: string;
  viewerIsAdmin: boolean;
}) {
  if (!app.auth.configured) return <NotSetUpNotice app={app} viewerIsAdmin={viewerIsAdmin} />;
  // A plain GET form: the browser goes to the platform's start route, which sends it on to the app.
  return (
    <form method="get" action={app.auth.connectPath ?? `/api/oauth/${app.slug}/start`} className="space-y-4">
      {returnTo && <input type="hidden" name="returnTo" value={returnTo} />}
      <TextField
        label="Name"
        name="label"
        defaultValue={app.name}
        maxLength={100}
        required
        autoComplete="off"
        hint={`Tells your ${app.name} accounts apart, like “Work” or “Personal”.`}
      />
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        {app.name} asks you to sign in and allow Toolgate to act for you, then sends you back here.
      </p>
      <Button type="submit" variant="primary">
        Continue to {app.name}
      </Button>
    </form>
  );
}

export default async function NewConnectionPage({ searchParams }: { searchParams: SearchParams }) {
  const { user, workspace } = await requireWorkspace();
  const viewerIsAdmin = user.role === "ADMIN";
  const { app: slug, returnTo: requestedReturn } = await searchParams;
  const app = await findApp(slug);
  const returnTo = toolFormReturnPath(requestedReturn);
  if (!app)
    return (
      <AppPicker
        unknown={typeof slug === "string" && slug ? slug : undefined}
        viewerIsAdmin={viewerIsAdmin}
      />
    );
  return (
    <div className="max-w-xl">
      <p className="mb-2 text-sm">
        {returnTo ? (
          <BackLink href={returnTo}>Back to your tool</BackLink>
        ) : (
          <BackLink href="/connections/new">All apps</BackLink>
        )}
      </p>
      <div className="mb-6 flex items-center gap-3">
        <AppLogo slug={app.slug} name={app.name} size={40} />
        <div>
          <h1 className="text-2xl font-bold">Connect {app.name}</h1>
          <p className="text-zinc-600 dark:text-zinc-400">{app.description}</p>
        </div>
      </div>
      <Card>
        {app.auth.type === "none" ? (
          <EmptyState
            title={`${app.name} needs no account`}
            action={
              <UseInServer
                app={app}
                servers={(await listServers(workspace)).map(({ id, name }) => ({ id, name }))}
                primary
              />
            }
          >
            Its actions work as they are: add them to one of your servers as tools.
          </EmptyState>
        ) : app.auth.type === "oauth2" ? (
          <OAuthStep app={app} returnTo={returnTo} viewerIsAdmin={viewerIsAdmin} />
        ) : (
          <ConnectKeyForm slug={app.slug} appName={app.name} fields={app.auth.fields} returnTo={returnTo} />
        )}
      </Card>
      {returnTo && (
        <p className="mt-3 text-sm text-zinc-600 dark:text-zinc-400">
          Once the account is connected, you go back to your tool, with what you had filled in.
        </p>
      )}
    </div>
  );
}
