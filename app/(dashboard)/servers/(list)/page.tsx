import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState } from "@/components/kit/card";
import { Notice } from "@/components/kit/notice";
import { PageHeader } from "@/components/kit/page-header";
import { getAppUrl } from "@/env";
import { describeIntegrations } from "@/lib/integrations/catalog";
import { requireWorkspace } from "@/lib/orgs/current-workspace";
import { listServers } from "@/lib/servers/manage-servers";
import { NewServerForm } from "./new-server-form";

export const metadata: Metadata = { title: "Servers" };

const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium" });

export default async function ServersPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { workspace } = await requireWorkspace();
  const servers = await listServers(workspace);
  // Arriving from an app's "Use in a server": the new server's next step is that app's actions.
  const { app: appParam } = await searchParams;
  const app = describeIntegrations().find((entry) => entry.slug === appParam);
  return (
    <div className="mx-auto max-w-3xl space-y-8">
      <PageHeader
        title="Servers"
        description="A server is one MCP URL with the tools you choose. Make one per AI app you use, so each app gets only its own tools and you can cut one off without touching the others."
      />
      {app && (
        <Notice>Create a server to use {app.name} in. Adding its actions as tools is the next step.</Notice>
      )}
      <NewServerForm appUrl={getAppUrl()} appSlug={app?.slug} />
      <section aria-labelledby="your-servers" className="space-y-3">
        <h2 id="your-servers" className="text-lg font-semibold">
          Your servers
        </h2>
        {servers.length === 0 ? (
          <EmptyState title="No servers yet">
            <p>
              Create one above for the AI app you use most, like Claude Desktop. You then add tools to it and
              paste its URL into the app.
            </p>
          </EmptyState>
        ) : (
          <ul className="divide-y divide-zinc-200 rounded-xl border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900">
            {servers.map((server) => (
              <li
                key={server.id}
                className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1 p-4"
                data-testid="server-row"
              >
                <Link
                  href={`/servers/${server.id}`}
                  className="font-medium text-brand-700 hover:underline dark:text-blue-400"
                >
                  {server.name}
                </Link>
                <p className="text-sm text-zinc-600 dark:text-zinc-400">
                  <span data-testid="tool-count">
                    {server.toolCount === 1 ? "1 tool" : `${server.toolCount} tools`}
                  </span>
                  {" · created "}
                  <time dateTime={server.createdAt.toISOString()}>{dateFormat.format(server.createdAt)}</time>
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
