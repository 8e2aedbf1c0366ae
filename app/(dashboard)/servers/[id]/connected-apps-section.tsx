// The server page's "Connected apps": the AI apps that signed in and chose this server. In an
// organization its owners and admins see (and can revoke) every member's; others see their own.
import { ConnectedAppList } from "@/components/connected-apps";
import { listServerGrants } from "@/lib/authorization-server/grants";
import { type Workspace, workspaceCan } from "@/lib/orgs/workspace";
import { revokeServerGrantAction } from "./connected-app-actions";

export async function ConnectedAppsSection({
  workspace,
  serverId,
}: {
  workspace: Workspace;
  serverId: string;
}) {
  const apps = await listServerGrants(workspace, serverId);
  const seesEveryone = workspace.kind === "org" && workspaceCan(workspace, "manage_shared");
  return (
    <section aria-labelledby="connected-apps" className="space-y-3">
      <h2 id="connected-apps" className="text-lg font-semibold">
        Connected apps
      </h2>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        {seesEveryone
          ? "AI apps that members signed in to and pointed at this server."
          : "AI apps you signed in to and pointed at this server."}{" "}
        Revoking one stops only that app; the server&apos;s URLs keep working.
      </p>
      <ConnectedAppList
        apps={apps}
        revoke={revokeServerGrantAction.bind(null, serverId)}
        showServer={false}
        showPerson={seesEveryone}
        empty={{
          title: "No connected apps",
          body: (
            <p>
              Apps that support sign-in get here from the “Sign in from the app (OAuth)” tab below: paste the
              URL into the app, sign in, and choose this server.
            </p>
          ),
        }}
      />
    </section>
  );
}
