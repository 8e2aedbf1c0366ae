// The AI apps that signed in to use servers, as a list with a Revoke button each: on Settings →
// Connected apps, on a server's page and on an administrator's page of a person.
import type { ReactNode } from "react";
import { formatDate } from "@/components/format-date";
import { EmptyState } from "@/components/kit/card";
import type { ConnectedApp } from "@/lib/authorization-server/grants";
import type { ActionResult } from "@/lib/web/server-action";
import { RevokeGrantButton } from "./revoke-grant-button";

function When({ date }: { date: Date }) {
  return <time dateTime={date.toISOString()}>{formatDate(date)}</time>;
}

export function ConnectedAppList({
  apps,
  revoke,
  showServer = true,
  showPerson = false,
  empty,
}: {
  apps: ConnectedApp[];
  /** A server action revoking one grant by id. */
  revoke: (grantId: string) => Promise<ActionResult>;
  showServer?: boolean;
  /** Whose grant it is (for those who see other people's). */
  showPerson?: boolean;
  empty: { title: string; body: ReactNode };
}) {
  if (apps.length === 0) return <EmptyState title={empty.title}>{empty.body}</EmptyState>;
  return (
    <ul
      aria-label="Connected apps"
      className="divide-y divide-zinc-200 rounded-xl border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900"
    >
      {apps.map((app) => (
        <li
          key={app.id}
          className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2 p-4"
          data-testid="connected-app-row"
        >
          <div className="min-w-0 space-y-1">
            <p className="font-medium break-all">
              {app.appName}
              {app.redirectHost && app.redirectHost !== app.appName && (
                <span className="font-normal text-zinc-600 dark:text-zinc-400"> · {app.redirectHost}</span>
              )}
            </p>
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              {showServer && (
                <>
                  Uses <span className="font-medium text-zinc-800 dark:text-zinc-200">{app.server.name}</span>
                  {app.server.orgName && <> in {app.server.orgName}</>}
                  {" · "}
                </>
              )}
              {showPerson && <>Let in by {app.user.email} · </>}
              {showServer || showPerson ? "allowed" : "Allowed"} <When date={app.createdAt} />
              {" · "}
              {app.lastUsedAt ? (
                <>
                  last used <When date={app.lastUsedAt} />
                </>
              ) : (
                "not used yet"
              )}
            </p>
          </div>
          <RevokeGrantButton
            grantId={app.id}
            appName={app.appName}
            serverName={app.server.name}
            revoke={revoke}
          />
        </li>
      ))}
    </ul>
  );
}
