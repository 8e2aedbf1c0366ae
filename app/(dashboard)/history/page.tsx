import type { Metadata } from "next";
import Link from "next/link";
import { CallTable } from "@/components/history/call-table";
import { historyHref, parseHistoryParams, statusOfParam } from "@/components/history/format";
import { PageLink } from "@/components/history/pending";
import { ButtonLink } from "@/components/kit/button";
import { EmptyState } from "@/components/kit/card";
import { Notice } from "@/components/kit/notice";
import { PageHeader } from "@/components/kit/page-header";
import { UsageMeters } from "@/components/usage-meters";
import { type CallWithPayloads, listCallFilterChoices, listCallsWithPayloads } from "@/lib/calls/list-calls";
import { isAppError } from "@/lib/errors/app-error";
import { requireWorkspace } from "@/lib/orgs/current-workspace";
import { workspaceCan } from "@/lib/orgs/workspace";
import { getWorkspaceUsage } from "@/lib/quota/usage";
import { CallFilters } from "./call-filters";

export const metadata: Metadata = { title: "History" };
export const dynamic = "force-dynamic";

/** Calls per page: their inputs and outputs are on the page too (each capped at 64 KB). */
const pageSize = 25;

export default async function HistoryPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { workspace } = await requireWorkspace();
  const params = parseHistoryParams(await searchParams);
  const filters = {
    serverId: params.server,
    toolName: params.tool,
    status: statusOfParam(params.status),
  };
  const [usage, choices, page] = await Promise.all([
    getWorkspaceUsage(workspace),
    listCallFilterChoices(workspace),
    // One more than a page, to know whether there are older calls.
    listCallsWithPayloads(workspace, { limit: pageSize + 1, before: params.before }, filters).then(
      (calls): { calls: CallWithPayloads[]; staleCursor: boolean } => ({ calls, staleCursor: false }),
      (error: unknown) => {
        // A `before` that is not (or no longer) one of the user's calls: say so, keep the filters.
        if (isAppError(error) && error.code === "validation_failed") return { calls: [], staleCursor: true };
        throw error;
      },
    ),
  ]);
  const calls = page.calls.slice(0, pageSize);
  const hasOlder = page.calls.length > pageSize;
  const filtered = Boolean(params.server || params.tool || params.status);
  const firstPage = { ...params, before: undefined };
  const serverNames = new Map(choices.servers.map((server) => [server.id, server.name]));
  const now = new Date();
  const inOrg = workspace.kind === "org";
  const seesEveryone = inOrg && workspaceCan(workspace, "see_all_calls");

  return (
    <div className="space-y-8">
      <PageHeader
        title="History"
        description={
          inOrg
            ? seesEveryone
              ? `Every tool call made on ${workspace.orgName}'s servers, by whom, with what was sent and what came back, and how much of the organization's plan is used.`
              : `Your tool calls on ${workspace.orgName}'s servers, with what was sent and what came back, and how much of the organization's plan is used.`
            : "Every tool call your AI apps made, with what they sent and what came back, and how much of your plan you have used."
        }
      />
      <UsageMeters usage={usage} {...(inOrg && { title: `${workspace.orgName}'s usage` })} />
      <section aria-labelledby="calls-heading" className="space-y-4">
        <h2 id="calls-heading" className="text-lg font-semibold">
          Calls
        </h2>
        {!filtered && !params.before && calls.length === 0 ? (
          <EmptyState
            title="Nothing has run yet"
            action={
              <ButtonLink href="/servers" variant="secondary">
                Go to your servers
              </ButtonLink>
            }
          >
            No calls yet — once your AI app uses a tool, it shows up here. Add tools to a server and paste its
            URL into your AI app to get started.
          </EmptyState>
        ) : (
          <>
            <CallFilters params={params} servers={choices.servers} toolNames={choices.toolNames} />
            {page.staleCursor ? (
              <Notice tone="warning">
                This page of older calls is no longer available.{" "}
                <Link href={historyHref(firstPage)} className="font-semibold underline">
                  Show the newest calls
                </Link>
              </Notice>
            ) : calls.length === 0 ? (
              <EmptyState
                title="No calls match these filters"
                action={
                  <ButtonLink href="/history" variant="secondary">
                    Show all calls
                  </ButtonLink>
                }
              >
                Try another server, tool or status.
              </EmptyState>
            ) : (
              <CallTable calls={calls} serverNames={serverNames} now={now} showCaller={inOrg} />
            )}
            {(hasOlder || params.before) && (
              <nav aria-label="Pages of calls" className="flex flex-wrap justify-between gap-2">
                {params.before ? <PageLink href={historyHref(firstPage)}>Newest calls</PageLink> : <span />}
                {hasOlder && (
                  <PageLink href={historyHref({ ...params, before: calls.at(-1)?.id })}>Older calls</PageLink>
                )}
              </nav>
            )}
          </>
        )}
      </section>
    </div>
  );
}
