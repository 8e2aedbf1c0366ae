// Every organization on the platform: its plan, members, calls this month (those that counted
// against its quota) and when it was made; each opens its page, where the plan is chosen.
import type { Metadata } from "next";
import Link from "next/link";
import { formatDate } from "@/components/format-date";
import { EmptyState } from "@/components/kit/card";
import { PageHeader } from "@/components/kit/page-header";
import { listOrganizations } from "@/lib/admin/organizations";
import { requireAdmin } from "@/lib/auth/session";
import { formatCount } from "../format";

export const metadata: Metadata = { title: "Organizations · Admin" };
export const dynamic = "force-dynamic";

const headers = ["Organization", "Plan", "Members", "Calls this month", "Created"] as const;
const cellClasses = "flex justify-between gap-3 py-1 sm:table-cell sm:px-3 sm:py-2.5";

function CellLabel({ children }: { children: string }) {
  return (
    <span aria-hidden="true" className="text-xs font-medium text-zinc-600 sm:hidden dark:text-zinc-400">
      {children}
    </span>
  );
}

export default async function AdminOrganizationsPage() {
  // Not only the layout: Next.js renders a page alongside its layout and would stream the page's
  // data to the browser even after the layout's notFound().
  await requireAdmin();
  const orgs = await listOrganizations();
  return (
    <div className="space-y-6">
      <PageHeader
        title="Organizations"
        description="Every organization on this Toolgate. Open one to choose its plan or override its limits."
      />
      {orgs.length === 0 ? (
        <EmptyState title="No organizations yet">
          People create them from the workspace menu in the header.
        </EmptyState>
      ) : (
        <table className="block w-full text-sm sm:table sm:overflow-hidden sm:rounded-xl sm:border sm:border-zinc-200 sm:bg-white dark:sm:border-zinc-800 dark:sm:bg-zinc-900">
          <caption className="sr-only">Organizations, newest first</caption>
          <thead className="sr-only sm:not-sr-only sm:table-header-group">
            <tr className="text-left text-xs uppercase tracking-wide text-zinc-600 dark:text-zinc-400">
              {headers.map((header) => (
                <th key={header} scope="col" className="px-3 py-2 font-medium">
                  {header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="block space-y-3 sm:table-row-group sm:space-y-0">
            {orgs.map((org) => (
              <tr
                key={org.id}
                data-testid="admin-org-row"
                className="block rounded-xl border border-zinc-200 bg-white px-4 py-2 sm:table-row sm:rounded-none sm:border-0 sm:border-t sm:p-0 dark:border-zinc-800 dark:bg-zinc-900"
              >
                <td className={cellClasses}>
                  <CellLabel>Organization</CellLabel>
                  <Link
                    href={`/admin/organizations/${org.id}`}
                    className="min-w-0 break-all font-medium text-brand-700 hover:underline dark:text-brand-300"
                  >
                    {org.name}
                  </Link>
                </td>
                <td className={cellClasses}>
                  <CellLabel>Plan</CellLabel>
                  <span>{org.planName ?? "Default plan"}</span>
                </td>
                <td className={cellClasses}>
                  <CellLabel>Members</CellLabel>
                  <span>{formatCount(org.memberCount)}</span>
                </td>
                <td className={cellClasses}>
                  <CellLabel>Calls this month</CellLabel>
                  <span>{formatCount(org.callsThisMonth)}</span>
                </td>
                <td className={cellClasses}>
                  <CellLabel>Created</CellLabel>
                  <time dateTime={org.createdAt.toISOString()}>{formatDate(org.createdAt)}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
