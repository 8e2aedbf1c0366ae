// The history's filters: a GET form (next/form navigates in place when JavaScript runs), so it works without JavaScript and the chosen filters
// stay in the URL (?server=&tool=&status=). Applying filters starts again from the newest call.
import Form from "next/form";
import Link from "next/link";
import { type HistoryParams, statusChoices } from "@/components/history/format";
import { ApplyFiltersButton } from "@/components/history/pending";
import { buttonClasses } from "@/components/kit/button";
import { inputClasses } from "@/components/kit/fields";

function Select({
  id,
  label,
  value,
  children,
}: {
  id: string;
  label: string;
  value: string | undefined;
  children: React.ReactNode;
}) {
  return (
    <div className="min-w-0 flex-1 space-y-1 sm:min-w-40">
      <label htmlFor={`filter-${id}`} className="block text-sm font-medium">
        {label}
      </label>
      <select id={`filter-${id}`} name={id} defaultValue={value ?? ""} className={inputClasses}>
        {children}
      </select>
    </div>
  );
}

export function CallFilters({
  params,
  servers,
  toolNames,
}: {
  params: HistoryParams;
  servers: { id: string; name: string }[];
  toolNames: string[];
}) {
  const active = Boolean(params.server || params.tool || params.status);
  const serverKnown = !params.server || servers.some((server) => server.id === params.server);
  const tools = params.tool && !toolNames.includes(params.tool) ? [...toolNames, params.tool] : toolNames;
  return (
    <Form
      action="/history"
      aria-label="Filter calls"
      className="flex flex-col gap-3 rounded-xl border border-zinc-200 bg-white p-4 sm:flex-row sm:flex-wrap sm:items-end dark:border-zinc-800 dark:bg-zinc-900"
    >
      <Select id="server" label="Server" value={params.server}>
        <option value="">All servers</option>
        {servers.map((server) => (
          <option key={server.id} value={server.id}>
            {server.name}
          </option>
        ))}
        {!serverKnown && <option value={params.server}>A server you no longer have</option>}
      </Select>
      <Select id="tool" label="Tool" value={params.tool}>
        <option value="">All tools</option>
        {tools.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </Select>
      <Select id="status" label="Status" value={params.status}>
        <option value="">Any status</option>
        {statusChoices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </Select>
      <div className="flex gap-2">
        <ApplyFiltersButton />
        {active && (
          <Link href="/history" className={buttonClasses("ghost")}>
            Clear
          </Link>
        )}
      </div>
    </Form>
  );
}
