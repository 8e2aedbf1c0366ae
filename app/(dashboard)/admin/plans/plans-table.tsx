// The plans as a table: name (with the default marked), the three limits, how many people are on
// each, and what can be done with it. Below the sm breakpoint each plan is a stacked card.
import Link from "next/link";
import { Badge } from "@/components/kit/badge";
import type { PlanSummary } from "@/lib/plans/manage-plans";
import { limitOrderWarnings } from "@/lib/plans/plan-limits";
import { PlanActions } from "./plan-actions";

const number = new Intl.NumberFormat("en");
const headers = ["Plan", "Hourly", "Daily", "Monthly", "People", "Actions"] as const;
const cellClasses = "flex items-center justify-between gap-3 py-1 sm:table-cell sm:px-3 sm:py-2.5";

function CellLabel({ children }: { children: string }) {
  return (
    <span aria-hidden="true" className="text-xs font-medium text-zinc-600 sm:hidden dark:text-zinc-400">
      {children}
    </span>
  );
}

export function PlansTable({ plans }: { plans: PlanSummary[] }) {
  return (
    <table className="block w-full space-y-3 text-sm sm:table sm:space-y-0 sm:overflow-hidden sm:rounded-xl sm:border sm:border-zinc-200 sm:bg-white dark:sm:border-zinc-800 dark:sm:bg-zinc-900">
      <caption className="sr-only">Plans, the default first, with their limits of tool calls</caption>
      <thead className="sr-only sm:not-sr-only sm:table-header-group">
        <tr className="text-left text-xs uppercase tracking-wide text-zinc-600 dark:text-zinc-400">
          {headers.map((header) => (
            <th
              key={header}
              scope="col"
              className={`px-3 py-2 font-medium ${["Hourly", "Daily", "Monthly", "People"].includes(header) ? "sm:text-right" : ""}`}
            >
              {header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="block space-y-3 sm:table-row-group sm:space-y-0">
        {plans.map((plan) => {
          const warnings = limitOrderWarnings(plan);
          return (
            <tr
              key={plan.id}
              data-testid="plan-row"
              data-plan-id={plan.id}
              className="block rounded-xl border border-zinc-200 bg-white px-4 py-2 sm:table-row sm:rounded-none sm:border-0 sm:border-t sm:p-0 dark:border-zinc-800 dark:bg-zinc-900"
            >
              <th scope="row" className={`${cellClasses} text-left font-normal`}>
                <CellLabel>Plan</CellLabel>
                <span className="flex flex-wrap items-center justify-end gap-2 sm:justify-start">
                  <Link
                    href={`/admin/plans/${plan.id}`}
                    className="font-semibold text-brand-700 hover:underline dark:text-brand-300"
                    data-testid="plan-name"
                  >
                    {plan.name}
                  </Link>
                  {plan.isDefault && (
                    <span data-testid="default-badge">
                      <Badge tone="info">Default</Badge>
                    </span>
                  )}
                  {warnings.length > 0 && (
                    <span title={warnings.join(" ")}>
                      <Badge tone="warning">Limits out of order</Badge>
                    </span>
                  )}
                </span>
              </th>
              <td className={`${cellClasses} tabular-nums sm:text-right`} data-testid="plan-hourly">
                <CellLabel>Hourly</CellLabel>
                {number.format(plan.hourlyLimit)}
              </td>
              <td className={`${cellClasses} tabular-nums sm:text-right`} data-testid="plan-daily">
                <CellLabel>Daily</CellLabel>
                {number.format(plan.dailyLimit)}
              </td>
              <td className={`${cellClasses} tabular-nums sm:text-right`} data-testid="plan-monthly">
                <CellLabel>Monthly</CellLabel>
                {number.format(plan.monthlyLimit)}
              </td>
              <td className={`${cellClasses} tabular-nums sm:text-right`} data-testid="plan-users">
                <CellLabel>People</CellLabel>
                {number.format(plan.userCount)}
              </td>
              <td className={cellClasses}>
                <CellLabel>Actions</CellLabel>
                <div className="flex flex-wrap justify-end gap-2 sm:justify-start">
                  <Link
                    href={`/admin/plans/${plan.id}`}
                    className="inline-flex items-center rounded-md border border-zinc-300 px-2.5 py-1.5 text-xs font-semibold hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-800"
                  >
                    Edit<span className="sr-only"> {plan.name}</span>
                  </Link>
                  <PlanActions plan={plan} />
                </div>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
