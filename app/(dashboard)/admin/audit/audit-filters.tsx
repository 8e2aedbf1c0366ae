// The audit trail's filters: a GET form (next/form navigates in place when JavaScript runs), so it
// works without JavaScript and the filters stay in the URL. Applying filters starts from the newest.
import Form from "next/form";
import Link from "next/link";
import { auditActionLabel } from "@/components/audit-labels";
import { ApplyFiltersButton } from "@/components/history/pending";
import { buttonClasses } from "@/components/kit/button";
import { inputClasses } from "@/components/kit/fields";
import type { AuditFilters } from "@/lib/admin/audit";

function Filter({
  id,
  label,
  error,
  children,
}: {
  id: string;
  label: string;
  error?: string;
  children: React.ReactNode;
}) {
  return (
    <div className="min-w-0 space-y-1">
      <label htmlFor={`audit-${id}`} className="block text-sm font-medium">
        {label}
      </label>
      {children}
      {error && (
        <p id={`audit-${id}-error`} className="text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
    </div>
  );
}

const invalid = (error: string | undefined, id: string) =>
  error ? { "aria-invalid": true as const, "aria-describedby": `audit-${id}-error` } : {};

export function AuditFilterForm({
  filters,
  raw,
  errors,
  actions,
  targetTypes,
}: {
  filters: AuditFilters;
  /** What was typed, shown again even where it did not pass. */
  raw: Record<string, string | undefined>;
  errors: Record<string, string>;
  actions: string[];
  targetTypes: string[];
}) {
  const active = Object.values(raw).some(Boolean);
  const types =
    filters.targetType && !targetTypes.includes(filters.targetType)
      ? [...targetTypes, filters.targetType]
      : targetTypes;
  return (
    <Form
      action="/admin/audit"
      aria-label="Filter the audit trail"
      className="grid gap-3 rounded-xl border border-zinc-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-3 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <Filter id="actor" label="Who (email address)" error={errors.actor}>
        <input
          id="audit-actor"
          name="actor"
          type="text"
          inputMode="email"
          autoComplete="off"
          defaultValue={raw.actor}
          placeholder="ada@example.com"
          className={inputClasses}
          {...invalid(errors.actor, "actor")}
        />
      </Filter>
      <Filter id="action" label="What (action)" error={errors.action}>
        <input
          id="audit-action"
          name="action"
          type="text"
          list="audit-action-choices"
          autoComplete="off"
          defaultValue={raw.action}
          placeholder="server.created"
          className={inputClasses}
          {...invalid(errors.action, "action")}
        />
        <datalist id="audit-action-choices">
          {actions.map((action) => (
            <option key={action} value={action}>
              {auditActionLabel(action) ?? action}
            </option>
          ))}
        </datalist>
      </Filter>
      <Filter id="targetType" label="Target type" error={errors.targetType}>
        <select
          id="audit-targetType"
          name="targetType"
          defaultValue={filters.targetType ?? ""}
          className={inputClasses}
          {...invalid(errors.targetType, "targetType")}
        >
          <option value="">Any target</option>
          {types.map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
        </select>
      </Filter>
      <Filter id="targetId" label="Target id" error={errors.targetId}>
        <input
          id="audit-targetId"
          name="targetId"
          type="text"
          autoComplete="off"
          defaultValue={raw.targetId}
          className={inputClasses}
          {...invalid(errors.targetId, "targetId")}
        />
      </Filter>
      <Filter id="from" label="From (day, UTC)" error={errors.from}>
        <input
          id="audit-from"
          name="from"
          type="date"
          defaultValue={raw.from}
          className={inputClasses}
          {...invalid(errors.from, "from")}
        />
      </Filter>
      <Filter id="to" label="To (day, UTC, included)" error={errors.to}>
        <input
          id="audit-to"
          name="to"
          type="date"
          defaultValue={raw.to}
          className={inputClasses}
          {...invalid(errors.to, "to")}
        />
      </Filter>
      <div className="flex gap-2 sm:col-span-2 lg:col-span-3">
        <ApplyFiltersButton />
        {active && (
          <Link href="/admin/audit" className={buttonClasses("ghost")}>
            Clear
          </Link>
        )}
      </div>
    </Form>
  );
}
