// The organization's audit events as a table (stacked cards below the sm breakpoint): when, who,
// what, the target, and the event's details in a native <details>.
import { auditActionLabel } from "@/components/audit-labels";
import { formatExact, formatRelative } from "@/components/history/format";
import type { OrgAuditEvent } from "@/lib/orgs/org-audit";

const headers = ["When", "Who", "What", "Target", "Details"] as const;
const cellClasses =
  "flex items-start justify-between gap-3 py-1 sm:table-cell sm:px-3 sm:py-2.5 sm:align-top";
const muted = "text-zinc-600 dark:text-zinc-400";

function CellLabel({ children }: { children: string }) {
  return (
    <span aria-hidden="true" className={`shrink-0 text-xs font-medium sm:hidden ${muted}`}>
      {children}
    </span>
  );
}

function targetName(event: OrgAuditEvent): string | null {
  const metadata = event.metadata;
  if (!metadata || typeof metadata !== "object" || Array.isArray(metadata)) return null;
  const record = metadata as Record<string, unknown>;
  for (const key of ["email", "name"]) if (typeof record[key] === "string") return record[key] as string;
  return null;
}

export function OrgAuditTable({ events, now }: { events: OrgAuditEvent[]; now: Date }) {
  return (
    <table className="block w-full text-sm sm:table sm:overflow-hidden sm:rounded-xl sm:border sm:border-zinc-200 sm:bg-white dark:sm:border-zinc-800 dark:sm:bg-zinc-900">
      <caption className="sr-only">Audit events of the organization, newest first</caption>
      <thead className="sr-only sm:not-sr-only sm:table-header-group">
        <tr className={`text-left text-xs uppercase tracking-wide ${muted}`}>
          {headers.map((header) => (
            <th key={header} scope="col" className="px-3 py-2 font-medium">
              {header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="block space-y-3 sm:table-row-group sm:space-y-0">
        {events.map((event) => {
          const label = auditActionLabel(event.action);
          const name = targetName(event);
          return (
            <tr
              key={event.id}
              data-testid="org-audit-event"
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
                <span className="min-w-0 break-all text-right sm:text-left">
                  {event.actorEmail ?? (
                    <span className={`italic ${muted}`}>
                      {event.actorId ? "A deleted account" : "System"}
                    </span>
                  )}
                </span>
              </td>
              <td className={cellClasses}>
                <CellLabel>What</CellLabel>
                <span className="min-w-0 text-right sm:text-left">
                  {label && <span className="block">{label}</span>}
                  <code className={`block break-all text-xs ${label ? muted : ""}`}>{event.action}</code>
                </span>
              </td>
              <td className={cellClasses}>
                <CellLabel>Target</CellLabel>
                <span className="min-w-0 break-all text-right sm:text-left">
                  {event.targetType ? (
                    <>
                      <span className={muted}>{event.targetType}</span>
                      {name && <> {name}</>}
                    </>
                  ) : (
                    <span className={muted}>—</span>
                  )}
                </span>
              </td>
              <td className={cellClasses}>
                <CellLabel>Details</CellLabel>
                {event.metadata !== null ? (
                  <details className="min-w-0 max-w-full sm:max-w-80">
                    <summary className="cursor-pointer text-sm font-medium text-brand-700 hover:underline dark:text-brand-300">
                      Details
                      <span className="sr-only">
                        {" "}
                        of {event.action} at {formatExact(event.createdAt)}
                      </span>
                    </summary>
                    <pre className="mt-2 whitespace-pre-wrap break-all rounded-md bg-zinc-100 p-2 font-mono text-xs text-zinc-800 dark:bg-zinc-950 dark:text-zinc-200">
                      {JSON.stringify(event.metadata, null, 2)}
                    </pre>
                  </details>
                ) : (
                  <span className={muted}>—</span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
