// Integrations: every OAuth app with where its client comes from (environment variables, this
// page, or nowhere yet), the callback URL to register with the vendor, the vendor's console, and
// a form for the client id and secret. A change is used at once, without a restart.
import type { Metadata } from "next";
import { formatDate } from "@/components/format-date";
import { Badge } from "@/components/kit/badge";
import { Card } from "@/components/kit/card";
import { CopyButton } from "@/components/kit/copy-button";
import { Notice } from "@/components/kit/notice";
import { PageHeader } from "@/components/kit/page-header";
import { requireAdmin } from "@/lib/auth/session";
import { listOAuthClientSetups, type OAuthClientSetup } from "@/lib/oauth/client-overview";
import { ClientForm } from "./client-form";
import { RemoveClientButton } from "./remove-client-button";

export const metadata: Metadata = { title: "Integrations · Admin" };
export const dynamic = "force-dynamic";

const stateBadges = {
  environment: <Badge tone="info">Set by environment variables</Badge>,
  stored: <Badge tone="success">Set here</Badge>,
  not_set_up: <Badge tone="warning">Not set up</Badge>,
} as const;

function Code({ children }: { children: string }) {
  return (
    <code className="rounded bg-zinc-100 px-1 font-mono text-xs break-all dark:bg-zinc-800">{children}</code>
  );
}

function Settings({ settings }: { settings: string[] }) {
  return (
    <>
      {settings.map((setting, index) => (
        <span key={setting}>
          {index > 0 && " and "}
          <Code>{setting}</Code>
        </span>
      ))}
    </>
  );
}

function CallbackUrls({ client }: { client: OAuthClientSetup }) {
  return (
    <div className="space-y-2">
      <h4 className="text-sm font-semibold">{client.apps.length === 1 ? "Callback URL" : "Callback URLs"}</h4>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Register {client.apps.length === 1 ? "this address" : "each of these addresses"} as a redirect
        (callback) URL of the app in {client.name}&apos;s console.
      </p>
      <ul className="space-y-2">
        {client.apps.map((app) => (
          <li
            key={app.slug}
            id={app.slug}
            className="scroll-mt-20 space-y-1 target:rounded-md target:ring-2 target:ring-brand-500"
          >
            {client.apps.length > 1 && <p className="text-sm font-medium">{app.name}</p>}
            <div className="flex flex-wrap items-center gap-2">
              <Code>{app.redirectUri}</Code>
              <CopyButton value={app.redirectUri} label={`Copy ${app.name} callback URL`} />
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}

function ClientCard({ client }: { client: OAuthClientSetup }) {
  const headingId = `client-${client.prefix.toLowerCase()}`;
  const usedBy = client.apps.map((app) => app.name).join(", ");
  return (
    <section aria-labelledby={headingId} data-client={client.prefix}>
      <Card className="space-y-5">
        <div className="flex flex-wrap items-center gap-3">
          <h3 id={headingId} className="text-lg font-semibold">
            {client.name}
          </h3>
          {stateBadges[client.state]}
        </div>
        {client.apps.length > 1 && (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">One client for {usedBy}.</p>
        )}
        <State client={client} />
        <CallbackUrls client={client} />
        {client.consoleUrl && (
          <p className="text-sm">
            Create the app and find its client ID and secret in{" "}
            <a
              href={client.consoleUrl}
              target="_blank"
              rel="noreferrer"
              className="font-medium text-brand-700 underline dark:text-brand-300"
            >
              {client.name}&apos;s developer console<span className="sr-only"> (opens in a new tab)</span>
            </a>
            .
          </p>
        )}
        {client.state === "environment" ? (
          client.stored && (
            <div className="space-y-2">
              <Notice>
                A client set here earlier ({client.stored.clientId}) is kept but not used while the
                environment variables are set.
              </Notice>
              <RemoveClientButton prefix={client.prefix} name={client.name} />
            </div>
          )
        ) : (
          <ClientForm
            prefix={client.prefix}
            name={client.name}
            clientId={client.stored?.clientId}
            secretSetAt={client.stored?.secretSetAt}
          />
        )}
      </Card>
    </section>
  );
}

function State({ client }: { client: OAuthClientSetup }) {
  if (client.state === "environment")
    return (
      <p className="text-sm">
        Set by the environment variables <Settings settings={client.settings} />. To change it, change them
        and restart Toolgate; they win over anything set on this page.
      </p>
    );
  const partly = client.environmentSet.length > 0 && (
    <Notice tone="warning">
      Only <Settings settings={client.environmentSet} /> is set in the environment; both{" "}
      <Settings settings={client.settings} /> are needed for the environment to be used, so{" "}
      {client.stored ? "the client set here is used." : "the app is not set up."}
    </Notice>
  );
  if (client.state === "stored" && client.stored)
    return (
      <div className="space-y-2">
        <p className="text-sm">
          Set here by {client.stored.updatedByEmail} on {formatDate(client.stored.updatedAt)}. Client ID{" "}
          <Code>{client.stored.clientId}</Code>.
        </p>
        {partly}
      </div>
    );
  return (
    <div className="space-y-2">
      <p className="text-sm">
        Nobody can connect {client.apps.map((app) => app.name).join(", ")} until its client is set up:
        register an app with {client.name}, then enter its client ID and secret below.
      </p>
      {partly}
    </div>
  );
}

export default async function IntegrationsPage() {
  // Not only the layout: Next.js renders a page alongside its layout.
  await requireAdmin();
  const clients = await listOAuthClientSetups();
  return (
    <div className="space-y-8">
      <PageHeader
        title="Integrations"
        description={
          <>
            Apps that connect with OAuth need a client registered with the vendor before anyone can connect an
            account. Set it up here: it is used at once, with no restart. Environment variables (
            <Code>SLACK_CLIENT_ID</Code> and the like) keep working and win over what is set here.
          </>
        }
      />
      <section aria-labelledby="oauth-apps" className="space-y-4">
        <h2 id="oauth-apps" className="text-lg font-semibold">
          OAuth apps
        </h2>
        {clients.map((client) => (
          <ClientCard key={client.prefix} client={client} />
        ))}
      </section>
    </div>
  );
}
