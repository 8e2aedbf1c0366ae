// The audit trail as a table, newest first: when, who, what, to what, from where, and the
// event's details (JSON, collapsed in a native <details>). Below the sm breakpoint each event is a
// stacked card.

import { auditActionLabel } from "@/components/audit-labels";
import { formatExact, formatRelative } from "@/components/history/format";
import type { AuditEventRow } from "@/lib/admin/audit";

const headers = ["When", "Who", "What", "Target", "From where", "Details"] as const;
const cellClasses =
  "flex items-start justify-between gap-3 py-1 sm:table-cell sm:px-3 sm:py-2.5 sm:align-top";

function CellLabel({ children }: { children: string }) {
  return (
    <span
      aria-hidden="true"
      className="shrink-0 text-xs font-medium text-zinc-600 sm:hidden dark:text-zinc-400"
    >
      {children}
    </span>
  );
}

const muted = "text-zinc-600 dark:text-zinc-400";

function EventRow({ event, now }: { event: AuditEventRow; now: Date }) {
  const label = auditActionLabel(event.action);
  const hasDetails = event.metadata !== null && event.metadata !== undefined;
  return (
    <tr
      data-testid="audit-event"
      data-event-id={event.id}
      data-action={event.action}
      className="block rounded-xl border border-zinc-200 bg-white px-4 py-2 sm:table-row sm:rounded-none sm:border-0 sm:border-t sm:p-0 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <td className={cellClasses}>
        <CellLabel>When</CellLabel>
        <time
          dateTime={event.createdAt.toISOString()}
          title={formatExact(event.createdAt)}
          className="whitespace-nowrap"
        >
          {formatRelative(event.createdAt, now)}
        </time>
      </td>
      <td className={cellClasses}>
        <CellLabel>Who</CellLabel>
        <span className="min-w-0 break-all text-right sm:text-left" data-testid="audit-actor">
          {event.actorEmail ?? (
            <span className={`italic ${muted}`}>
              {event.actorId ? "A deleted account" : "System or command line"}
            </span>
          )}
        </span>
      </td>
      <td className={cellClasses}>
        <CellLabel>What</CellLabel>
        <span className="min-w-0 text-right sm:text-left">
          {label && <span className="block">{label}</span>}
          <code className={`block break-all text-xs ${label ? muted : ""}`} data-testid="audit-action">
            {event.action}
          </code>
        </span>
      </td>
      <td className={cellClasses}>
        <CellLabel>Target</CellLabel>
        <span className="min-w-0 text-right sm:text-left" data-testid="audit-target">
          {event.targetType ? (
            <>
              <span className="block break-all">
                <span className={muted}>{event.targetType}</span>
                {event.targetLabel && <> {event.targetLabel}</>}
              </span>
              {event.targetId && <code className={`block break-all text-xs ${muted}`}>{event.targetId}</code>}
            </>
          ) : (
            <span className={muted}>—</span>
          )}
        </span>
      </td>
      <td className={cellClasses}>
        <CellLabel>From where</CellLabel>
        <span className="min-w-0 text-right sm:text-left">
          <span className="block break-all" data-testid="audit-ip">
            {event.ip ?? <span className={muted}>—</span>}
          </span>
          {event.userAgent && (
            <span
              className={`block max-w-64 truncate text-xs ${muted}`}
              title={event.userAgent}
              data-testid="audit-user-agent"
            >
              {event.userAgent}
            </span>
          )}
        </span>
      </td>
      <td className={cellClasses}>
        <CellLabel>Details</CellLabel>
        {hasDetails ? (
          <details className="min-w-0 max-w-full sm:max-w-80">
            <summary className="cursor-pointer text-sm font-medium text-brand-700 hover:underline dark:text-brand-300">
              Details
              <span className="sr-only">
                {" "}
                of {event.action} at {formatExact(event.createdAt)}
              </span>
            </summary>
            <pre
              className="mt-2 whitespace-pre-wrap break-all rounded-md bg-zinc-100 p-2 font-mono text-xs text-zinc-800 dark:bg-zinc-950 dark:text-zinc-200"
              data-testid="audit-details"
            >
              {JSON.stringify(event.metadata, null, 2)}
            </pre>
          </details>
        ) : (
          <span className={muted}>—</span>
        )}
      </td>
    </tr>
  );
}

export function AuditTable({ events, now }: { events: AuditEventRow[]; now: Date }) {
  return (
    <table className="block w-full text-sm sm:table sm:overflow-hidden sm:rounded-xl sm:border sm:border-zinc-200 sm:bg-white dark:sm:border-zinc-800 dark:sm:bg-zinc-900">
      <caption className="sr-only">Audit events, newest first</caption>
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
        {events.map((event) => (
          <EventRow key={event.id} event={event} now={now} />
        ))}
      </tbody>
    </table>
  );
}
