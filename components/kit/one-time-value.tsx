"use client";
// A value shown once (a new token, URL or link): selected on focus, with a copy button beside it.
import { CopyButton } from "./copy-button";

export function OneTimeValue({
  id,
  label,
  value,
  copyLabel,
}: {
  id: string;
  /** The field's accessible name (it has no visible label). */
  label: string;
  value: string;
  copyLabel: string;
}) {
  return (
    <div className="flex flex-col gap-2 sm:flex-row sm:items-center">
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <input
        id={id}
        readOnly
        value={value}
        onFocus={(event) => event.currentTarget.select()}
        className="block w-full min-w-0 flex-1 rounded-md border border-zinc-300 bg-white px-3 py-2 font-mono text-xs dark:border-zinc-700 dark:bg-zinc-950"
      />
      <div className="flex shrink-0">
        <CopyButton value={value} label={copyLabel} />
      </div>
    </div>
  );
}
