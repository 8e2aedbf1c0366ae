import type { Metadata } from "next";
import Link from "next/link";
import { buttonClasses } from "@/components/kit/button";
import { EmptyState } from "@/components/kit/card";
import { Notice } from "@/components/kit/notice";
import { PageHeader } from "@/components/kit/page-header";
import { listUsersWithUsage, usersPageSize } from "@/lib/admin/users";
import { requireAdmin } from "@/lib/auth/session";
import { parseUsersParams, usersHref } from "./params";
import { UserSearch } from "./user-search";
import { UsersTable } from "./users-table";

export const metadata: Metadata = { title: "Users · Admin" };
export const dynamic = "force-dynamic";

const sortCaptions = { share: "share of quota used", email: "email", created: "date created" } as const;

export default async function AdminUsersPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  // The layout's check does not stop this page's data from streaming to a non-admin.
  await requireAdmin();
  const params = parseUsersParams(await searchParams);
  const result = await listUsersWithUsage({
    search: params.q,
    sort: params.sort,
    dir: params.dir,
    page: params.page,
  });
  const { rows, total, page, pageCount } = result;
  const firstShown = (page - 1) * usersPageSize + 1;
  const caption = `Users${params.q ? ` matching “${params.q}”` : ""}, sorted by ${sortCaptions[params.sort]} (${
    params.dir === "asc" ? "ascending" : "descending"
  }), page ${page} of ${pageCount}`;

  return (
    <div className="space-y-6">
      <PageHeader
        title="Users"
        description="Every account with its tool calls this hour, today and this month against its limits: the same numbers each person sees on their own History page."
      />
      <UserSearch params={params} />
      {total > 0 && (
        <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="users-summary">
          {total.toLocaleString("en")} {total === 1 ? "user" : "users"}
          {params.q ? " match" : ""} · <strong className="font-semibold">{result.atLimitCount}</strong> at a
          limit · <strong className="font-semibold">{result.nearLimitCount}</strong> near one (80% or more)
        </p>
      )}
      {result.source === "ledger" && (
        <Notice tone="warning">
          The quota service (Redis) is unreachable: the numbers shown are counted from the call ledger.
        </Notice>
      )}
      {rows.length === 0 ? (
        total > 0 ? (
          <EmptyState
            title="No users on this page"
            action={
              <Link href={usersHref({ ...params, page: 1 })} className={buttonClasses("secondary")}>
                Go to the first page
              </Link>
            }
          >
            There are only {pageCount} {pageCount === 1 ? "page" : "pages"}.
          </EmptyState>
        ) : (
          <EmptyState
            title={params.q ? "No users match this search" : "No users yet"}
            action={
              params.q ? (
                <Link href="/admin/users" className={buttonClasses("secondary")}>
                  Show all users
                </Link>
              ) : undefined
            }
          >
            {params.q
              ? "Try part of an email address or a name."
              : "Accounts show up here once people sign up."}
          </EmptyState>
        )
      ) : (
        <>
          <UsersTable rows={rows} params={params} caption={caption} />
          <p className="text-xs text-zinc-600 dark:text-zinc-400">
            The share of quota used is the fullest of the three windows. The month forecast is this month's
            calls at the pace so far. Only successful calls count; calls still running hold their unit until
            they finish.
          </p>
          {pageCount > 1 && (
            <nav aria-label="Pages of users" className="flex flex-wrap items-center justify-between gap-2">
              {page > 1 ? (
                <Link
                  href={usersHref({ ...params, page: page - 1 })}
                  className={buttonClasses("secondary")}
                  rel="prev"
                >
                  Previous page
                </Link>
              ) : (
                <span />
              )}
              <span className="text-sm text-zinc-600 dark:text-zinc-400" aria-current="page">
                {firstShown}–{firstShown + rows.length - 1} of {total.toLocaleString("en")} · page {page} of{" "}
                {pageCount}
              </span>
              {page < pageCount ? (
                <Link
                  href={usersHref({ ...params, page: page + 1 })}
                  className={buttonClasses("secondary")}
                  rel="next"
                >
                  Next page
                </Link>
              ) : (
                <span />
              )}
            </nav>
          )}
        </>
      )}
    </div>
  );
}
