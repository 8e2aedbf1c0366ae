import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AppLogo } from "@/components/app-logo";
import { NotSetUpNotice } from "@/components/app-not-set-up";
import { Badge } from "@/components/kit/badge";
import { ButtonLink } from "@/components/kit/button";
import { Card } from "@/components/kit/card";
import { BackLink } from "@/components/kit/page-header";
import { UseInServer } from "@/components/use-in-server";
import { isBuiltInApp } from "@/lib/apps/app-registry";
import { getApp } from "@/lib/apps/manage-apps";
import { listConnections } from "@/lib/connections/manage-connections";
import { AppError } from "@/lib/errors/app-error";
import { type CatalogIntegration, listIntegrationCatalog } from "@/lib/integrations/catalog";
import { requireWorkspace } from "@/lib/orgs/current-workspace";
import { type Workspace, workspaceCan } from "@/lib/orgs/workspace";
import { listServers } from "@/lib/servers/manage-servers";
import { AuthBadge, authKindOf } from "../auth-badge";
import { ActionEffectBadge } from "./action-effect-badge";
import { AddedAppView } from "./added-app-view";

type Props = { params: Promise<{ slug: string }> };

async function findApp(slug: string): Promise<CatalogIntegration | undefined> {
  return (await listIntegrationCatalog()).find((app) => app.slug === slug);
}

/** The workspace's added app with this slug, or undefined (none, or another workspace's). */
async function findAddedApp(workspace: Workspace, slug: string) {
  try {
    return await getApp(workspace, slug);
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") return undefined;
    throw error;
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug } = await params;
  if (!isBuiltInApp(slug)) {
    const { workspace } = await requireWorkspace();
    return { title: (await findAddedApp(workspace, slug))?.name ?? "App not found" };
  }
  const app = await findApp(slug);
  return { title: app?.name ?? "App not found" };
}

export default async function AppPage({ params }: Props) {
  const { user, workspace } = await requireWorkspace();
  const { slug } = await params;
  if (!isBuiltInApp(slug)) {
    const added = await findAddedApp(workspace, slug);
    if (!added) notFound();
    return (
      <AddedAppView
        app={added}
        canChange={workspaceCan(workspace, "manage_shared")}
        canCheck={workspaceCan(workspace, "use_servers")}
      />
    );
  }
  const app = await findApp(slug);
  if (!app) notFound();
  const kind = authKindOf(app.auth);
  const needsAccount = kind !== "none";
  const connectionCount = needsAccount
    ? (await listConnections(workspace)).filter((connection) => connection.integration === app.slug).length
    : 0;
  const servers = (await listServers(workspace)).map(({ id, name }) => ({ id, name }));

  return (
    <div className="space-y-8">
      <nav aria-label="Breadcrumb">
        <BackLink href="/apps">All apps</BackLink>
      </nav>

      <header className="flex flex-wrap items-start gap-4">
        <AppLogo slug={app.slug} name={app.name} size={64} />
        <div className="min-w-0 flex-1 basis-64">
          <h1 className="text-2xl font-bold">{app.name}</h1>
          <p className="mt-1 max-w-2xl text-zinc-600 dark:text-zinc-400">{app.description}</p>
          <div className="mt-2 flex flex-wrap gap-2">
            <Badge>{app.category}</Badge>
            <AuthBadge kind={kind} />
            {connectionCount > 0 && (
              <Badge tone="success">
                {connectionCount} {connectionCount === 1 ? "account" : "accounts"} connected
              </Badge>
            )}
          </div>
        </div>
        <div className="flex w-full flex-wrap gap-2 sm:w-auto">
          {needsAccount && kind !== "oauth_not_set_up" && (
            <ButtonLink href={`/connections/new?app=${encodeURIComponent(app.slug)}`}>
              Connect an account
            </ButtonLink>
          )}
          <UseInServer app={app} servers={servers} primary={!needsAccount} />
        </div>
      </header>

      <section aria-labelledby="how-to-connect">
        <h2 id="how-to-connect" className="mb-3 text-lg font-semibold">
          How to connect
        </h2>
        {kind === "oauth_not_set_up" ? (
          <NotSetUpNotice app={app} viewerIsAdmin={user.role === "ADMIN"} />
        ) : (
          <Card>
            <HowToConnect app={app} connectionCount={connectionCount} />
          </Card>
        )}
      </section>

      <section aria-labelledby="actions">
        <h2 id="actions" className="text-lg font-semibold">
          What it can do{" "}
          <span className="font-normal text-zinc-600 dark:text-zinc-400">({app.actions.length})</span>
        </h2>
        <p className="mt-1 mb-3 max-w-2xl text-sm text-zinc-600 dark:text-zinc-400">
          Each action becomes a tool your AI can call. <strong className="font-medium">Read-only</strong>{" "}
          actions only look things up, <strong className="font-medium">changes data</strong> ones create or
          update things, and <strong className="font-medium">destructive</strong> ones can delete or
          overwrite.
        </p>
        <ul className="divide-y divide-zinc-200 rounded-xl border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900">
          {app.actions.map((action) => (
            <li key={action.key} className="p-4" data-testid="app-action">
              <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
                <h3 className="font-medium">{action.title}</h3>
                <ActionEffectBadge action={action} />
              </div>
              <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">{action.description}</p>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

function HowToConnect({ app, connectionCount }: { app: CatalogIntegration; connectionCount: number }) {
  const kind = authKindOf(app.auth);
  const connected =
    connectionCount > 0 ? (
      <p className="mt-3 text-sm">
        You have {connectionCount} {connectionCount === 1 ? "account" : "accounts"} of {app.name} connected.{" "}
        <Link href="/connections" className="font-medium text-brand-700 underline dark:text-indigo-300">
          Manage your connections
        </Link>
      </p>
    ) : null;

  if (kind === "none")
    return (
      <p className="text-sm">
        No account needed. Add its actions to a server as tools, and your AI can use them right away.
      </p>
    );

  if (kind === "oauth")
    return (
      <>
        <p className="text-sm">
          Choose <strong className="font-semibold">Connect an account</strong>, sign in to {app.name} and
          approve access. Toolgate never sees your password, and you can disconnect at any time.
        </p>
        {connected}
      </>
    );

  return (
    <>
      <p className="text-sm">
        Choose <strong className="font-semibold">Connect an account</strong> and paste the following. They are
        stored encrypted and are never shown again.
      </p>
      <dl className="mt-3 space-y-3 text-sm">
        {app.auth.fields.map((field) => (
          <div key={field.name}>
            <dt className="font-medium">
              {field.label}
              {field.secret && " "}
              {field.secret && (
                <span className="ml-1 text-xs font-normal text-zinc-600 dark:text-zinc-400">
                  (kept secret)
                </span>
              )}
            </dt>
            {field.help && <dd className="mt-0.5 text-zinc-600 dark:text-zinc-400">{field.help}</dd>}
          </div>
        ))}
      </dl>
      {connected}
    </>
  );
}
