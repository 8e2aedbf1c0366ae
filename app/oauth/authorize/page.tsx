// The authorization endpoint and its consent page. An AI app sends the person here; the request is
// checked (lib/authorization-server/authorization-request.ts) and kept under an id, so that the
// sign-in page can bring the person back with a short URL. Signed in, the person sees which app
// asks, where it will be sent back to, and chooses which of their servers it may use, or makes
// a new one. The form posts to ./decision, which answers the app.
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { Button } from "@/components/kit/button";
import { AuthCard } from "@/components/kit/card";
import { inputClasses } from "@/components/kit/fields";
import { Notice } from "@/components/kit/notice";
import { getCurrentUser } from "@/lib/auth/session";
import {
  findPendingRequest,
  keepPendingRequest,
  readAuthorizationRequest,
} from "@/lib/authorization-server/authorization-request";
import { findClient, type RegisteredClient } from "@/lib/authorization-server/clients";
import { consentToken, type ServerChoice, serverChoicesFor } from "@/lib/authorization-server/consent";
import { SwitchAccountButton } from "./switch-account-button";

export const metadata: Metadata = { title: "Allow access" };
export const dynamic = "force-dynamic";

type SearchParams = Record<string, string | string[] | undefined>;

/** What a refused decision's code (lib/authorization-server/consent-route.ts) means. */
const decisionProblems: Record<string, string> = {
  bad_request: "Give the new server a name, of at most 100 characters.",
  not_found: "That server is not one you can give access to. Choose another.",
  forbidden: "That answer did not come from this page as it was shown to you. Choose again.",
};

const linkClasses = "font-medium text-brand-600 hover:underline dark:text-brand-300";

function queryOf(params: SearchParams): URLSearchParams {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params))
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value])
      query.append(name, item);
  return query;
}

function Refusal({ message }: { message: string }) {
  return (
    <AuthCard
      title="This sign-in request cannot be used"
      footer={
        <Link href="/" className={linkClasses}>
          Go to your dashboard
        </Link>
      }
    >
      <div className="space-y-3 text-sm">
        <Notice tone="danger">{message}</Notice>
        <p>Start again from the app you were connecting. If it keeps happening, tell the app's makers.</p>
      </div>
    </AuthCard>
  );
}

export default async function AuthorizePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const requestId = typeof params.request_id === "string" ? params.request_id : undefined;
  if (!requestId) {
    const read = await readAuthorizationRequest(queryOf(params));
    if (read.outcome === "unanswerable") return <Refusal message={read.message} />;
    if (read.outcome === "refused") redirect(read.location);
    redirect(`/oauth/authorize?request_id=${await keepPendingRequest(read.request)}`);
  }
  const pending = await findPendingRequest(requestId);
  if (!pending)
    return (
      <Refusal message="This sign-in request expired or was already answered (requests last 15 minutes)." />
    );
  const here = `/oauth/authorize?request_id=${requestId}`;
  const user = await getCurrentUser();
  if (!user) redirect(`/signin?next=${encodeURIComponent(here)}`);
  let client: RegisteredClient;
  try {
    client = await findClient(pending.clientId);
  } catch {
    return <Refusal message="The app that asked could no longer be found." />;
  }
  const servers = await serverChoicesFor(user.id);
  const problem = typeof params.problem === "string" ? decisionProblems[params.problem] : undefined;
  return (
    <AuthCard
      title={`Allow ${client.name} to use your tools?`}
      footer={
        <>
          Signed in as {user.email}.{" "}
          <SwitchAccountButton signInAgain={`/signin?next=${encodeURIComponent(here)}`} />
        </>
      }
    >
      <ConsentForm
        client={client}
        redirectUri={pending.redirectUri}
        requestId={requestId}
        token={consentToken(requestId, user.id)}
        servers={servers}
        problem={problem}
      />
    </AuthCard>
  );
}

/** Where the app says it comes from: a metadata document's host, or nothing vouched for. */
function ClientOrigin({ client }: { client: RegisteredClient }) {
  if (client.kind === "metadata_document")
    return (
      <p>
        Its details are published at <strong className="break-all">{new URL(client.clientId).host}</strong>.
      </p>
    );
  return <p>The app registered itself: its name is its own claim, not checked by Toolgate.</p>;
}

function redirectTarget(uri: string): string {
  const url = new URL(uri);
  return url.host ? `${url.protocol}//${url.host}` : url.protocol.replace(/:$/, " app");
}

function ConsentForm({
  client,
  redirectUri,
  requestId,
  token,
  servers,
  problem,
}: {
  client: RegisteredClient;
  redirectUri: string;
  requestId: string;
  token: string;
  servers: ServerChoice[];
  problem?: string;
}) {
  return (
    <form method="post" action="/oauth/authorize/decision" className="space-y-4 text-sm">
      <input type="hidden" name="request_id" value={requestId} />
      <input type="hidden" name="consent_token" value={token} />
      {problem && <Notice tone="danger">{problem}</Notice>}
      <p>
        <strong>{client.name}</strong> asks to call the tools of one of your servers, on your behalf and under
        your quota. You will be sent back to{" "}
        <strong className="break-all">{redirectTarget(redirectUri)}</strong>.
      </p>
      <ClientOrigin client={client} />
      <fieldset className="space-y-2">
        <legend className="mb-1 font-medium">Which server may it use?</legend>
        {servers.map((server, index) => (
          <label key={server.id} className="flex items-start gap-2">
            <input
              type="radio"
              name="server"
              value={server.id}
              defaultChecked={index === 0}
              className="mt-0.5"
            />
            <span>
              {server.name}
              <span className="text-zinc-500 dark:text-zinc-400">
                {" "}
                · {server.toolCount} {server.toolCount === 1 ? "tool" : "tools"}
                {server.orgName && ` · ${server.orgName}`}
              </span>
            </span>
          </label>
        ))}
        <label className="flex items-start gap-2">
          <input
            type="radio"
            name="server"
            value="new"
            defaultChecked={servers.length === 0}
            className="mt-0.5"
          />
          <span>A new server, with no tools yet</span>
        </label>
        <input
          name="new_server_name"
          aria-label="Name of the new server"
          defaultValue={client.name.slice(0, 100)}
          maxLength={100}
          className={inputClasses}
        />
      </fieldset>
      <p className="text-zinc-600 dark:text-zinc-400">
        You can take the access back at any time under Settings → Connected apps.
      </p>
      <div className="flex gap-2">
        <Button type="submit" name="decision" value="allow" variant="primary" className="flex-1">
          Allow
        </Button>
        <Button type="submit" name="decision" value="deny" className="flex-1">
          Deny
        </Button>
      </div>
    </form>
  );
}
