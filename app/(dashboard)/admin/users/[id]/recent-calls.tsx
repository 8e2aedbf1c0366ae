// A user's 20 most recent calls: when, tool, status, duration, and the error if any. Inputs and
// outputs stay on the user's own History page.

import { StatusBadge } from "@/components/history/call-table";
import { formatDuration, formatExact, formatRelative } from "@/components/history/format";
import type { UserDetail } from "@/lib/admin/user-admin";

export function RecentCalls({ calls, now }: { calls: UserDetail["recentCalls"]; now: Date }) {
  if (calls.length === 0)
    return (
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        This user's AI apps have not called a tool yet.
      </p>
    );
  return (
    <section
      aria-label="Recent calls table"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: scrollable regions must be reachable by keyboard
      tabIndex={0}
      className="relative overflow-x-auto rounded-xl border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900"
    >
      <table className="w-full min-w-[40rem] text-sm">
        <caption className="sr-only">The user's 20 most recent tool calls, newest first</caption>
        <thead className="border-b border-zinc-200 text-left text-zinc-600 dark:border-zinc-800 dark:text-zinc-400">
          <tr>
            {["When", "Tool", "Status", "Duration", "Error"].map((header) => (
              <th key={header} scope="col" className="px-3 py-2.5 font-medium">
                {header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {calls.map((call) => (
            <tr key={call.id} data-testid="recent-call">
              <td className="px-3 py-2 whitespace-nowrap">
                <time dateTime={call.startedAt.toISOString()} title={formatExact(call.startedAt)}>
                  {formatRelative(call.startedAt, now)}
                </time>
              </td>
              <td className="px-3 py-2">
                <span className="font-mono text-xs">{call.toolName}</span>
                {call.draft && (
                  <span className="block text-xs text-zinc-600 dark:text-zinc-400">
                    Try of unsaved settings
                  </span>
                )}
              </td>
              <td className="px-3 py-2">
                <StatusBadge status={call.status} />
              </td>
              <td className="px-3 py-2 tabular-nums">{formatDuration(call.durationMs)}</td>
              <td
                className="max-w-xs truncate px-3 py-2 text-zinc-600 dark:text-zinc-400"
                title={call.errorMessage ?? undefined}
              >
                {call.errorMessage ?? "—"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
