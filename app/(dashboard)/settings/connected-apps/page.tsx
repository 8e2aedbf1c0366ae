import type { Metadata } from "next";
import { ConnectedAppList } from "@/components/connected-apps";
import { CodeBlock } from "@/components/kit/code-block";
import { PageHeader } from "@/components/kit/page-header";
import { getAppUrl } from "@/env";
import { requireUser } from "@/lib/auth/session";
import { listUserGrants } from "@/lib/authorization-server/grants";
import { revokeConnectedAppAction } from "./actions";

export const metadata: Metadata = { title: "Connected apps" };

export default async function ConnectedAppsPage() {
  const user = await requireUser();
  const apps = await listUserGrants(user.id);
  const mcpUrl = `${getAppUrl()}/mcp`;
  return (
    <div className="mx-auto max-w-3xl space-y-8">
      <PageHeader
        title="Connected apps"
        description="AI apps you signed in to from the app itself, and the server each one uses. Revoke one and it is refused from its next request."
      />
      <section aria-labelledby="your-apps" className="space-y-3">
        <h2 id="your-apps" className="text-lg font-semibold">
          Apps with access
        </h2>
        <ConnectedAppList
          apps={apps}
          revoke={revokeConnectedAppAction}
          empty={{
            title: "No connected apps",
            body: (
              <div className="space-y-2">
                <p>
                  Paste your MCP URL into Claude, ChatGPT or another app that supports sign-in; it asks you to
                  sign in to Toolgate and choose one of your servers. The app then shows up here.
                </p>
                <div className="mx-auto max-w-md text-left">
                  <CodeBlock code={mcpUrl} />
                </div>
              </div>
            ),
          }}
        />
      </section>
    </div>
  );
}
