// The workspace's added apps above the catalog: each with its kind, how many actions it serves, how
// many wait for review, and whether its upstream answers.
import Link from "next/link";
import { AppLogo } from "@/components/app-logo";
import { Badge } from "@/components/kit/badge";
import type { AppSummaryView } from "@/lib/apps/manage-apps";

function healthBadge(healthy: boolean | null) {
  if (healthy === null) return null;
  return healthy ? <Badge tone="success">Answering</Badge> : <Badge tone="danger">Not answering</Badge>;
}

export function AddedAppList({ apps }: { apps: AppSummaryView[] }) {
  return (
    <section aria-labelledby="added-apps" className="mb-8">
      <h2 id="added-apps" className="mb-3 text-lg font-semibold">
        Added apps
      </h2>
      <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {apps.map((app) => (
          <li
            key={app.slug}
            data-testid="added-app-card"
            data-slug={app.slug}
            className="relative flex flex-col rounded-xl border border-zinc-200 bg-white p-4 transition-colors hover:border-brand-500 has-[a:focus-visible]:outline-2 has-[a:focus-visible]:outline-offset-2 has-[a:focus-visible]:outline-brand-500 dark:border-zinc-800 dark:bg-zinc-900 dark:hover:border-brand-500"
          >
            <div className="flex items-start gap-3">
              <AppLogo slug={app.slug} name={app.name} size={40} />
              <div className="min-w-0">
                <h3 className="font-semibold">
                  <Link
                    href={`/apps/${app.slug}`}
                    className="after:absolute after:inset-0 focus-visible:outline-none"
                  >
                    {app.name}
                  </Link>
                </h3>
                <p className="mt-0.5 text-sm text-zinc-600 dark:text-zinc-400">
                  {app.kind === "mcp" ? "MCP server" : "OpenAPI"}
                </p>
              </div>
            </div>
            <div className="mt-auto flex flex-wrap gap-2 pt-3">
              <Badge>
                {app.servedCount} of {app.actionCount} actions served
              </Badge>
              {app.reviewCount > 0 && <Badge tone="warning">{app.reviewCount} to review</Badge>}
              {healthBadge(app.health.healthy)}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
