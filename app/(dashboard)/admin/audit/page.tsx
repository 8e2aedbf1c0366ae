// The audit trail: who changed what, to what, from where; filtered by a GET form (works without
// JavaScript), 50 events a page, newest first, and exported as CSV with the same filters.
import type { Metadata } from "next";
import Link from "next/link";
import { PageLink } from "@/components/history/pending";
import { buttonClasses } from "@/components/kit/button";
import { EmptyState } from "@/components/kit/card";
import { Notice } from "@/components/kit/notice";
import { PageHeader } from "@/components/kit/page-header";
import {
  type AuditEventRow,
  auditFiltersQuery,
  hasAuditFilters,
  listAuditEvents,
  listAuditFilterChoices,
  parseAuditFilters,
} from "@/lib/admin/audit";
import { requireAdmin } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors/app-error";
import { AuditFilterForm } from "./audit-filters";
import { AuditTable } from "./audit-table";

export const metadata: Metadata = { title: "Audit trail · Admin" };
export const dynamic = "force-dynamic";

const rawKeys = ["actor", "action", "targetType", "targetId", "from", "to"] as const;

function withQuery(path: string, query: URLSearchParams): string {
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  // Not only the layout: Next.js renders a page alongside its layout and would stream the page's
  // data to the browser even after the layout's notFound().
  await requireAdmin();
  const search = await searchParams;
  const { filters, errors } = parseAuditFilters(search);
  const raw = Object.fromEntries(
    rawKeys.map((key) => {
      const value = search[key];
      return [key, (Array.isArray(value) ? value[0] : value)?.slice(0, 300)];
    }),
  );
  const cursorParam = search.cursor;
  const cursor = typeof cursorParam === "string" && cursorParam ? cursorParam.slice(0, 200) : undefined;
  const [choices, page] = await Promise.all([
    listAuditFilterChoices(),
    listAuditEvents(filters, { cursor }).then(
      (result): { events: AuditEventRow[]; nextCursor: string | null; staleCursor: boolean } => ({
        ...result,
        staleCursor: false,
      }),
      (error: unknown) => {
        if (isAppError(error) && error.code === "validation_failed")
          return { events: [], nextCursor: null, staleCursor: true };
        throw error;
      },
    ),
  ]);
  const filtered = hasAuditFilters(filters);
  const firstPage = withQuery("/admin/audit", auditFiltersQuery(filters));
  const exportHref = withQuery("/admin/audit/export", auditFiltersQuery(filters));
  const now = new Date();

  return (
    <div className="space-y-6">
      <PageHeader
        title="Audit trail"
        description="Every change people and administrators made: accounts connected, servers and tools changed, plans and limits set. Secrets are never recorded."
        actions={
          <a href={exportHref} className={buttonClasses("secondary")} download>
            Export CSV{filtered ? " (filtered)" : ""}
          </a>
        }
      />
      <AuditFilterForm
        filters={filters}
        raw={raw}
        errors={errors}
        actions={choices.actions}
        targetTypes={choices.targetTypes}
      />
      {Object.keys(errors).length > 0 && (
        <Notice tone="warning">
          Some filters could not be used and were left out; they are marked above.
        </Notice>
      )}
      <section aria-labelledby="events-heading" className="space-y-4">
        <h2 id="events-heading" className="text-lg font-semibold">
          Events
        </h2>
        {page.staleCursor ? (
          <Notice tone="warning">
            This page of older events does not exist.{" "}
            <Link href={firstPage} className="font-semibold underline">
              Show the newest events
            </Link>
          </Notice>
        ) : page.events.length === 0 ? (
          <EmptyState
            title={filtered ? "No events match these filters" : "Nothing recorded yet"}
            action={
              filtered ? (
                <Link href="/admin/audit" className={buttonClasses("secondary")}>
                  Show all events
                </Link>
              ) : undefined
            }
          >
            {filtered
              ? "Try another person, action or range of days."
              : "Changes to accounts, servers, tools, plans and limits show up here as they happen."}
          </EmptyState>
        ) : (
          <AuditTable events={page.events} now={now} />
        )}
        {(page.nextCursor || cursor) && (
          <nav aria-label="Pages of events" className="flex flex-wrap justify-between gap-2">
            {cursor ? <PageLink href={firstPage}>Newest events</PageLink> : <span />}
            {page.nextCursor && (
              <PageLink
                href={withQuery("/admin/audit", auditFiltersQuery(filters, { cursor: page.nextCursor }))}
              >
                Older events
              </PageLink>
            )}
          </nav>
        )}
      </section>
    </div>
  );
}
