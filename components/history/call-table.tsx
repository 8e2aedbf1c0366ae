// The call history as a table: one row per call (newest first) and, under it, a native <details>
// with what the AI sent and what came back. Below the sm breakpoint each call is a stacked card.
import { Badge } from "@/components/kit/badge";
import { findAction } from "@/integrations/registry";
import type { CallWithPayloads } from "@/lib/calls/list-calls";
import type { CallStatus } from "@/lib/db/generated/client.ts";
import {
  asTruncatedPayload,
  describeCancellation,
  formatBytes,
  formatDuration,
  formatExact,
  formatRelative,
  statusLabel,
} from "./format";

const statusTones: Record<CallStatus, "success" | "danger" | "warning" | "info"> = {
  SUCCESS: "success",
  ERROR: "danger",
  TIMEOUT: "danger",
  REFUSED: "warning",
  PENDING: "info",
};

export function StatusBadge({ status }: { status: CallStatus }) {
  return (
    <span data-testid="call-status" data-status={status}>
      <Badge tone={statusTones[status]}>{statusLabel(status)}</Badge>
    </span>
  );
}

const baseHeaders = ["When", "Server", "Tool", "Status", "Duration"] as const;
/** In an organization, who made each call comes after when. */
const headersWithCaller = ["When", "Called by", "Server", "Tool", "Status", "Duration"] as const;

/** The column's name, shown beside the value only when rows are stacked (screen readers have the header). */
function CellLabel({ children }: { children: string }) {
  return (
    <span aria-hidden="true" className="text-xs font-medium text-zinc-500 sm:hidden dark:text-zinc-400">
      {children}
    </span>
  );
}

const cellClasses = "flex items-center justify-between gap-3 py-1 sm:table-cell sm:px-3 sm:py-2.5";

function Payload({ value, what }: { value: unknown; what: string }) {
  const truncated = asTruncatedPayload(value);
  if (truncated) {
    return (
      <>
        <p className="mb-2 text-xs text-amber-800 dark:text-amber-300" data-testid="payload-truncated">
          The {what} was too large to keep in full ({formatBytes(truncated.bytes)}); only its start is shown.
        </p>
        <JsonBlock text={`${truncated.preview}…`} />
      </>
    );
  }
  return <JsonBlock text={JSON.stringify(value ?? null, null, 2)} />;
}

function JsonBlock({ text }: { text: string }) {
  return (
    <pre className="whitespace-pre-wrap break-all rounded-md bg-zinc-100 p-3 font-mono text-xs text-zinc-800 dark:bg-zinc-950 dark:text-zinc-200">
      {text}
    </pre>
  );
}

function Result({ call }: { call: CallWithPayloads }) {
  if (call.status === "SUCCESS") {
    return (
      <div>
        <h4 className="mb-1 text-xs font-semibold uppercase tracking-wide text-zinc-500 dark:text-zinc-400">
          Output
        </h4>
        <Payload value={call.output} what="output" />
      </div>
    );
  }
  if (call.status === "PENDING") {
    return (
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Still running. Its result shows here when it finishes; reload the page to check.
      </p>
    );
  }
  return (
    <div>
      <h4 className="mb-1 text-xs font-semibold uppercase tracking-wide text-zinc-500 dark:text-zinc-400">
        {call.status === "REFUSED" ? "Why it was refused" : "Error"}
      </h4>
      <p className="whitespace-pre-wrap break-words rounded-md bg-red-50 p-3 text-sm text-red-900 dark:bg-red-950 dark:text-red-200">
        {call.errorMessage ?? "The call failed without a message."}
      </p>
      {call.errorCode && (
        <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">
          Error code: <code>{call.errorCode}</code>
        </p>
      )}
    </div>
  );
}

function CallRows({
  call,
  serverName,
  now,
  showCaller,
}: {
  call: CallWithPayloads;
  serverName: string | undefined;
  now: Date;
  showCaller: boolean;
}) {
  const columns = showCaller ? headersWithCaller.length : baseHeaders.length;
  const found = findAction(call.integration, call.action);
  const summary = call.status === "SUCCESS" ? "Input and output" : "Input and details";
  const cancellation = describeCancellation(call);
  return (
    <tbody
      data-testid="call"
      data-call-id={call.id}
      className="block rounded-xl border border-zinc-200 bg-white px-4 py-2 sm:table-row-group sm:rounded-none sm:border-0 sm:border-t sm:p-0 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <tr className="block sm:table-row">
        <td className={cellClasses}>
          <CellLabel>When</CellLabel>
          <time dateTime={call.startedAt.toISOString()} title={formatExact(call.startedAt)}>
            {formatRelative(call.startedAt, now)}
          </time>
        </td>
        {showCaller && (
          <td className={cellClasses}>
            <CellLabel>Called by</CellLabel>
            <span className="min-w-0 break-all text-right sm:text-left" data-testid="call-caller">
              {call.calledBy}
            </span>
          </td>
        )}
        <td className={cellClasses}>
          <CellLabel>Server</CellLabel>
          <span className="text-right sm:text-left" data-testid="call-server">
            {serverName ?? <span className="italic text-zinc-500 dark:text-zinc-400">Deleted server</span>}
          </span>
        </td>
        <td className={cellClasses}>
          <CellLabel>Tool</CellLabel>
          <span className="min-w-0 text-right sm:text-left">
            <span className="block break-all font-mono text-xs" data-testid="call-tool">
              {call.toolName}
            </span>
            {found && (
              <span className="block text-xs text-zinc-500 dark:text-zinc-400">
                {found.integration.name} · {found.action.title}
              </span>
            )}
            {call.draft && (
              <span className="mt-1 block" data-testid="call-draft">
                <Badge tone="info">Try of unsaved settings</Badge>
              </span>
            )}
          </span>
        </td>
        <td className={cellClasses}>
          <CellLabel>Status</CellLabel>
          <span className="flex flex-col items-end gap-0.5 sm:items-start">
            <StatusBadge status={call.status} />
            {cancellation && (
              <span className="text-xs text-zinc-500 dark:text-zinc-400" data-testid="call-cancelled">
                {cancellation.short}
              </span>
            )}
          </span>
        </td>
        <td className={`${cellClasses} tabular-nums`}>
          <CellLabel>Duration</CellLabel>
          {call.status === "PENDING" || call.status === "REFUSED" ? "—" : formatDuration(call.durationMs)}
        </td>
      </tr>
      <tr className="block sm:table-row">
        <td colSpan={columns} className="block pt-1 pb-2 sm:table-cell sm:px-3 sm:pt-0 sm:pb-3">
          <details className="group">
            <summary className="w-fit cursor-pointer rounded text-sm font-medium text-brand-700 hover:underline dark:text-blue-400">
              {summary}
              <span className="sr-only">
                {" "}
                of {call.toolName} at {formatExact(call.startedAt)}
              </span>
            </summary>
            {cancellation && (
              <p className="mt-3 text-sm text-zinc-700 dark:text-zinc-300" data-testid="call-cancellation">
                {cancellation.sentence}
              </p>
            )}
            <div className="mt-3 grid gap-4 lg:grid-cols-2">
              <div>
                <h4 className="mb-1 text-xs font-semibold uppercase tracking-wide text-zinc-500 dark:text-zinc-400">
                  Input
                </h4>
                <Payload value={call.input} what="input" />
              </div>
              <Result call={call} />
            </div>
            <p className="mt-2 text-xs text-zinc-500 dark:text-zinc-400">
              Started {formatExact(call.startedAt)}
              {call.finishedAt && `, finished ${formatExact(call.finishedAt)}`}. Keys of your connected
              accounts are masked, and very large values are shortened.
            </p>
          </details>
        </td>
      </tr>
    </tbody>
  );
}

export function CallTable({
  calls,
  serverNames,
  now,
  showCaller = false,
}: {
  calls: CallWithPayloads[];
  serverNames: Map<string, string>;
  now: Date;
  /** An organization's history: a "Called by" column with each caller's email. */
  showCaller?: boolean;
}) {
  const headers = showCaller ? headersWithCaller : baseHeaders;
  return (
    <table className="block w-full space-y-3 text-sm sm:table sm:space-y-0 sm:overflow-hidden sm:rounded-xl sm:border sm:border-zinc-200 sm:bg-white dark:sm:border-zinc-800 dark:sm:bg-zinc-900">
      <caption className="sr-only">Tool calls, newest first</caption>
      <thead className="sr-only sm:not-sr-only sm:table-header-group">
        <tr className="text-left text-xs uppercase tracking-wide text-zinc-500 dark:text-zinc-400">
          {headers.map((header) => (
            <th key={header} scope="col" className="px-3 py-2 font-medium">
              {header}
            </th>
          ))}
        </tr>
      </thead>
      {calls.map((call) => (
        <CallRows
          key={call.id}
          call={call}
          serverName={call.serverId ? serverNames.get(call.serverId) : undefined}
          now={now}
          showCaller={showCaller}
        />
      ))}
    </table>
  );
}
