// The signed-in user's connected accounts, grouped by app, with what can be done to each; and the
// outcome of a connection just made (from the OAuth callback or the connect form) on arrival.
import type { Metadata } from "next";
import { AppLogo } from "@/components/app-logo";
import { ConnectionStatusBadge } from "@/components/connection-status-badge";
import { ButtonLink } from "@/components/kit/button";
import { Card, EmptyState } from "@/components/kit/card";
import { Notice } from "@/components/kit/notice";
import { PageHeader } from "@/components/kit/page-header";
import { listConnections } from "@/lib/connections/manage-connections";
import { type CatalogIntegration, describeIntegrations } from "@/lib/integrations/catalog";
import { requireWorkspace } from "@/lib/orgs/current-workspace";
import { ConnectionActions } from "./connection-actions";
import { formatRelativeTime } from "./relative-time";

export const metadata: Metadata = { title: "Connections" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
type Connection = Awaited<ReturnType<typeof listConnections>>[number];

const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

function ArrivalNotice({
  query,
  connections,
  catalog,
}: {
  query: Record<string, string | string[] | undefined>;
  connections: Connection[];
  catalog: CatalogIntegration[];
}) {
  const appName = catalog.find((app) => app.slug === single(query.integration))?.name;
  const error = single(query.error);
  if (error)
    return (
      <Notice tone="danger">
        <p className="font-semibold">
          {appName ? `${appName} could not be connected.` : "Connecting failed."}
        </p>
        <p>{error}</p>
      </Notice>
    );
  const connected = connections.find((connection) => connection.id === single(query.connected));
  if (!connected) return null;
  const tested = single(query.tested);
  const account = single(query.account);
  if (tested === "failed")
    return (
      <Notice tone="warning">
        <p className="font-semibold">Saved {connected.label}, but it does not work yet.</p>
        <p>Its card below says why and what to do.</p>
      </Notice>
    );
  return (
    <Notice tone="success">
      <p className="font-semibold">Connected {connected.label}</p>
      {tested === "ok" && <p>Works{account ? ` — connected as ${account}` : ""}.</p>}
    </Notice>
  );
}

const cardBorders: Partial<Record<Connection["status"], string>> = {
  NEEDS_RECONNECT: "border-amber-300 dark:border-amber-800",
  UNREACHABLE: "border-red-300 dark:border-red-800",
  NOT_WORKING: "border-red-300 dark:border-red-800",
};

/** Why it does not work and what to do, as the last check or call found. */
function statusExplanation(connection: Connection, appName: string): string | undefined {
  switch (connection.status) {
    case "NEEDS_RECONNECT":
      return (
        connection.statusMessage ??
        `${appName} no longer accepts this account. Reconnect it so that its tools work again.`
      );
    case "UNREACHABLE":
    case "NOT_WORKING":
      return connection.statusMessage ?? "The last check failed. Test it again.";
    case "UNCHECKED":
      return "Nothing has used it yet. Test it to know whether it works.";
    case "OK":
      return undefined;
  }
}

function ConnectionCard({ connection, app }: { connection: Connection; app?: CatalogIntegration }) {
  const appName = app?.name ?? connection.integration;
  const needsReconnect = connection.status === "NEEDS_RECONNECT";
  const explanation = statusExplanation(connection, appName);
  const headingId = `connection-${connection.id}`;
  return (
    <article aria-labelledby={headingId}>
      <Card className={cardBorders[connection.status] ?? ""}>
        <div className="flex flex-wrap items-start justify-between gap-2">
          <div className="min-w-0">
            <h3 id={headingId} className="font-semibold break-words">
              {connection.label}
            </h3>
            <p className="mt-0.5 text-xs text-zinc-600 dark:text-zinc-400">
              {connection.lastUsedAt
                ? `Last used ${formatRelativeTime(connection.lastUsedAt)}`
                : "Not used yet"}
              {connection.lastCheckedAt && ` · Checked ${formatRelativeTime(connection.lastCheckedAt)}`}
              {" · "}Connected {formatRelativeTime(connection.createdAt)}
            </p>
          </div>
          <ConnectionStatusBadge status={connection.status} appName={appName} />
        </div>
        {explanation && (
          <p
            className={
              connection.status === "UNCHECKED"
                ? "mt-2 text-sm text-zinc-600 dark:text-zinc-400"
                : "mt-2 text-sm text-zinc-800 dark:text-zinc-200"
            }
          >
            {explanation}
          </p>
        )}
        <div className="mt-3">
          <ConnectionActions
            connection={{ id: connection.id, label: connection.label, integration: connection.integration }}
            appName={appName}
            authType={connection.authType}
            fields={app?.auth.fields ?? []}
            needsReconnect={needsReconnect}
          />
        </div>
      </Card>
    </article>
  );
}

export default async function ConnectionsPage({ searchParams }: { searchParams: SearchParams }) {
  const { workspace } = await requireWorkspace();
  const [connections, query] = await Promise.all([listConnections(workspace), searchParams]);
  const catalog = describeIntegrations();
  const groups = new Map<string, Connection[]>();
  for (const connection of connections)
    groups.set(connection.integration, [...(groups.get(connection.integration) ?? []), connection]);

  return (
    <div className="space-y-6">
      <PageHeader
        title="Connections"
        description="The accounts your tools act with. Toolgate keeps their keys encrypted and never shows them again."
        actions={
          connections.length > 0 && <ButtonLink href="/connections/new">Connect an account</ButtonLink>
        }
      />
      <ArrivalNotice query={query} connections={connections} catalog={catalog} />
      {connections.length === 0 ? (
        <EmptyState
          title="No accounts connected yet"
          action={<ButtonLink href="/apps">Browse apps</ButtonLink>}
        >
          Pick an app and sign in to it or paste its API key. Your tools then act with that account.
        </EmptyState>
      ) : (
        [...groups]
          .map(([slug, list]) => {
            const app = catalog.find((entry) => entry.slug === slug);
            return { slug, list, app, name: app?.name ?? slug };
          })
          .sort((a, b) => a.name.localeCompare(b.name))
          .map(({ slug, list, app, name }) => (
            <section key={slug} aria-labelledby={`app-${slug}`} className="space-y-3">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <h2 id={`app-${slug}`} className="flex items-center gap-2 text-lg font-semibold">
                  <AppLogo slug={slug} name={name} size={28} />
                  {name}
                </h2>
                {app && app.auth.type !== "none" && (
                  <ButtonLink href={`/connections/new?app=${slug}`} variant="ghost" size="sm">
                    Connect another<span className="sr-only"> {name} account</span>
                  </ButtonLink>
                )}
              </div>
              <ul className="grid gap-3 md:grid-cols-2">
                {list.map((connection) => (
                  <li key={connection.id}>
                    <ConnectionCard connection={connection} app={app} />
                  </li>
                ))}
              </ul>
            </section>
          ))
      )}
    </div>
  );
}
