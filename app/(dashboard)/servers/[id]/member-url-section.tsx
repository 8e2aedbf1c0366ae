// The server page's "Your own URL" section for an organization's server: each member calls it
// through a URL of their own (so revoking one person stops only them, and history shows who
// called). Owners and admins see everyone's and can revoke any. Nothing in a personal workspace.
import { formatDate } from "@/components/format-date";
import { Card } from "@/components/kit/card";
import { requireWorkspace } from "@/lib/orgs/current-workspace";
import { getMemberUrlView } from "@/lib/orgs/member-urls";
import { GetMyUrlButton, RevokeMemberUrlButton } from "./member-url-buttons";

export async function MemberUrlSection({ serverId }: { serverId: string }) {
  const { workspace } = await requireWorkspace();
  const view = await getMemberUrlView(workspace, serverId);
  if (!view) return null;
  return (
    <section aria-labelledby="member-url" className="space-y-3">
      <h2 id="member-url" className="text-lg font-semibold">
        Your own URL
      </h2>
      <Card className="space-y-4">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Every member of {view.orgName} uses this server through a URL of their own: calls show who made
          them, and revoking one person&apos;s URL stops only them.
          {view.mine
            ? ` You have one since ${formatDate(view.mine.rotatedAt ?? view.mine.createdAt)}; it was shown only once.`
            : " You have none yet."}
        </p>
        {view.mayUse && <GetMyUrlButton serverId={serverId} hasOne={view.mine !== null} />}
        {view.accesses.length > 0 && (
          <div className="space-y-2">
            <h3 className="font-semibold">{view.seesEveryone ? "Members with a URL" : "Your URL"}</h3>
            <ul
              aria-label="Members with a URL"
              className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800"
            >
              {view.accesses.map((access) => (
                <li
                  key={access.userId}
                  className="flex flex-wrap items-center justify-between gap-3 p-3"
                  data-testid="member-url-row"
                >
                  <div className="min-w-0 text-sm">
                    <p className="font-medium break-all">{access.user.name ?? access.user.email}</p>
                    <p className="break-all text-zinc-600 dark:text-zinc-400">
                      {access.user.name && <>{access.user.email} · </>}
                      since {formatDate(access.rotatedAt ?? access.createdAt)}
                    </p>
                  </div>
                  <RevokeMemberUrlButton
                    serverId={serverId}
                    memberId={access.userId}
                    email={access.user.email}
                  />
                </li>
              ))}
            </ul>
          </div>
        )}
      </Card>
    </section>
  );
}
