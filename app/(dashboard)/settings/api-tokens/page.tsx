import type { Metadata } from "next";
import { formatDate } from "@/components/format-date";
import { Badge } from "@/components/kit/badge";
import { EmptyState } from "@/components/kit/card";
import { PageHeader } from "@/components/kit/page-header";
import { getAppUrl } from "@/env";
import { requireUser } from "@/lib/auth/session";
import { listApiTokens } from "@/lib/tokens/api-tokens";
import { NewTokenForm } from "./new-token-form";
import { RevokeTokenButton } from "./revoke-token-button";

export const metadata: Metadata = { title: "API tokens" };

function When({ date }: { date: Date }) {
  return <time dateTime={date.toISOString()}>{formatDate(date)}</time>;
}

export default async function ApiTokensPage() {
  const user = await requireUser();
  const tokens = await listApiTokens(user.id);
  const now = new Date();
  return (
    <div className="mx-auto max-w-3xl space-y-8">
      <PageHeader
        title="API tokens"
        description="For scripts and programs that manage your servers, tools and connections through Toolgate's REST API (/api/v1). Your AI apps do not need one: they use a server's MCP URL."
      />
      <NewTokenForm appUrl={getAppUrl()} />
      <section aria-labelledby="your-tokens" className="space-y-3">
        <h2 id="your-tokens" className="text-lg font-semibold">
          Your tokens
        </h2>
        {tokens.length === 0 ? (
          <EmptyState title="No API tokens">
            <p>Create one above when a script needs to reach the REST API.</p>
          </EmptyState>
        ) : (
          <ul className="divide-y divide-zinc-200 rounded-xl border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900">
            {tokens.map((token) => {
              const expired = token.expiresAt !== null && token.expiresAt <= now;
              return (
                <li
                  key={token.id}
                  className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2 p-4"
                  data-testid="token-row"
                >
                  <div className="min-w-0 space-y-1">
                    <p className="flex flex-wrap items-center gap-2 font-medium">
                      {token.name}
                      {expired && <Badge tone="warning">Expired</Badge>}
                    </p>
                    <p className="text-sm text-zinc-600 dark:text-zinc-400">
                      Created <When date={token.createdAt} />
                      {" · "}
                      {token.lastUsedAt ? (
                        <>
                          last used <When date={token.lastUsedAt} />
                        </>
                      ) : (
                        "never used"
                      )}
                      {" · "}
                      {token.expiresAt ? (
                        <>
                          {expired ? "expired" : "expires"} <When date={token.expiresAt} />
                        </>
                      ) : (
                        "no expiry"
                      )}
                    </p>
                  </div>
                  <RevokeTokenButton tokenId={token.id} name={token.name} />
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </div>
  );
}
