// The users table: one row per user with the three windows' meters, share of quota used with
// near/at-limit badges, the month's forecast and the plan. Email, share and creation date sort
// (links in the column headers, so sorting works without JavaScript); the table scrolls sideways
// inside its own region on narrow screens.
import Link from "next/link";
import type { ReactNode } from "react";
import { formatDate } from "@/components/format-date";
import type { UserSort, UserUsageRow } from "@/lib/admin/users";
import { formatCount, formatShare } from "../format";
import { sortHref, type UsersParams } from "./params";
import { AdminBadge, LimitBadge, SuspendedBadge } from "./usage-badges";
import { WindowMeter } from "./window-meter";

const sortNames: Record<UserSort, string> = {
  email: "email",
  share: "share of quota used",
  created: "date created",
};

function SortHeader({
  params,
  sort,
  children,
}: {
  params: UsersParams;
  sort: UserSort;
  children: ReactNode;
}) {
  const active = params.sort === sort;
  const ariaSort = active ? (params.dir === "asc" ? "ascending" : "descending") : undefined;
  return (
    <th scope="col" aria-sort={ariaSort} className="px-3 py-2.5 text-left font-medium">
      <Link href={sortHref(params, sort)} className="inline-flex items-center gap-1 hover:underline">
        {children}
        <span className="sr-only">, sort by {sortNames[sort]}</span>
        <span aria-hidden="true" className="text-xs">
          {active ? (params.dir === "asc" ? "▲" : "▼") : "↕"}
        </span>
      </Link>
    </th>
  );
}

function Header({ children }: { children: ReactNode }) {
  return (
    <th scope="col" className="px-3 py-2.5 text-left font-medium">
      {children}
    </th>
  );
}

function Forecast({ row }: { row: UserUsageRow }) {
  const over = row.monthForecast > row.usage.month.limit;
  return (
    <span
      data-testid="forecast"
      className={over ? "font-semibold text-red-700 dark:text-red-400" : undefined}
      title={over ? "At this pace the monthly limit runs out before the month ends." : undefined}
    >
      {formatCount(row.monthForecast)}
      {over && <span className="sr-only"> (over the monthly limit)</span>}
    </span>
  );
}

export function UsersTable({
  rows,
  params,
  caption,
}: {
  rows: UserUsageRow[];
  params: UsersParams;
  caption: string;
}) {
  return (
    <section
      aria-label="Users table"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: scrollable regions must be reachable by keyboard
      tabIndex={0}
      className="relative overflow-x-auto rounded-xl border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900"
    >
      <table className="w-full min-w-[56rem] text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-zinc-200 text-zinc-600 dark:border-zinc-800 dark:text-zinc-400">
          <tr>
            <SortHeader params={params} sort="email">
              User
            </SortHeader>
            <Header>Plan</Header>
            <Header>This hour</Header>
            <Header>Today</Header>
            <Header>This month</Header>
            <SortHeader params={params} sort="share">
              Quota used
            </SortHeader>
            <Header>Month forecast</Header>
            <SortHeader params={params} sort="created">
              Created
            </SortHeader>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {rows.map((row) => (
            <tr key={row.id} data-testid="user-row" data-user-id={row.id} className="align-top">
              <td className="px-3 py-2.5">
                <Link
                  href={`/admin/users/${row.id}`}
                  className="font-medium text-brand-700 hover:underline dark:text-brand-300"
                  data-testid="user-email"
                >
                  {row.email}
                </Link>
                {row.name && (
                  <span className="block text-xs text-zinc-600 dark:text-zinc-400">{row.name}</span>
                )}
                {(row.suspended || row.role === "ADMIN") && (
                  <span className="mt-1 flex flex-wrap gap-1">
                    {row.suspended && <SuspendedBadge />}
                    {row.role === "ADMIN" && <AdminBadge />}
                  </span>
                )}
              </td>
              <td className="px-3 py-2.5" data-testid="user-plan">
                {row.planName ?? "—"}
              </td>
              {(["hour", "day", "month"] as const).map((window) => (
                <td key={window} className="px-3 py-2.5">
                  <WindowMeter window={window} who={row.email} {...row.usage[window]} />
                </td>
              ))}
              <td className="px-3 py-2.5">
                <span className="block tabular-nums" data-testid="share">
                  {formatShare(row.share)}
                </span>
                <LimitBadge atLimit={row.atLimit} nearLimit={row.nearLimit} />
              </td>
              <td className="px-3 py-2.5 tabular-nums">
                <Forecast row={row} />
              </td>
              <td className="px-3 py-2.5 whitespace-nowrap">
                <time dateTime={row.createdAt.toISOString()}>{formatDate(row.createdAt)}</time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
