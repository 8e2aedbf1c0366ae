"use client";
// Labelled form controls (text input, textarea, select) whose hint and error are tied to the
// control for screen readers. A text field without an `id` gets one from useId, so that a page can
// show the same form more than once (one per connection) without clashing ids. A length limit
// (`maxLength`) is shown as a live count rather than enforced by the browser, which would cut a
// longer paste silently: the count says how much is too much, and the server refuses it by name.
import {
  type ChangeEvent,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
  useId,
  useState,
} from "react";

export const inputClasses =
  "block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm shadow-sm placeholder:text-zinc-500 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-brand-600 aria-[invalid=true]:border-red-500 dark:border-zinc-700 dark:bg-zinc-900 dark:placeholder:text-zinc-400";

/** The ids of a control's hint and error, for its aria-describedby. */
export function describedBy(
  id: string,
  { hint, error, counted }: { hint?: ReactNode; error?: ReactNode; counted?: boolean },
) {
  return (
    [error ? `${id}-error` : null, hint ? `${id}-hint` : null, counted ? `${id}-count` : null]
      .filter(Boolean)
      .join(" ") || undefined
  );
}

/** The characters typed against a field's limit; red, and saying by how much, once over it. */
function LengthCount({ id, length, limit }: { id: string; length: number; limit: number }) {
  const over = length - limit;
  return (
    <p
      id={`${id}-count`}
      className={`text-xs ${over > 0 ? "font-medium text-red-700 dark:text-red-400" : "text-zinc-600 dark:text-zinc-400"}`}
    >
      {length.toLocaleString("en")} / {limit.toLocaleString("en")} characters
      {over > 0 && `: ${over.toLocaleString("en")} too many`}
    </p>
  );
}

/** For a field with a limit: its text's length as it is typed, and the count shown under it. */
function useLengthCount<E extends HTMLInputElement | HTMLTextAreaElement>(
  id: string,
  limit: number | undefined,
  {
    value,
    defaultValue,
    onChange,
  }: { value?: unknown; defaultValue?: unknown; onChange?: (event: ChangeEvent<E>) => void },
) {
  const [typed, setTyped] = useState(String(defaultValue ?? "").length);
  const length = value !== undefined && value !== null ? String(value).length : typed;
  const handleChange = (event: ChangeEvent<E>) => {
    setTyped(event.target.value.length);
    onChange?.(event);
  };
  const count = limit !== undefined && <LengthCount id={id} length={length} limit={limit} />;
  return { counted: limit !== undefined, handleChange, count };
}

export function HintAndError({ id, hint, error }: { id: string; hint?: ReactNode; error?: ReactNode }) {
  return (
    <>
      {hint && (
        <p id={`${id}-hint`} className="text-xs text-zinc-600 dark:text-zinc-400">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
    </>
  );
}

type LabelledProps = { id: string; label: string; hint?: ReactNode; error?: string };

function Labelled({ id, label, hint, error, children }: LabelledProps & { children: ReactNode }) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      {children}
      <HintAndError id={id} hint={hint} error={error} />
    </div>
  );
}

function controlProps(
  id: string,
  { hint, error, counted }: { hint?: ReactNode; error?: string; counted?: boolean },
) {
  return {
    id,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": describedBy(id, { hint, error, counted }),
    className: inputClasses,
  };
}

export function TextField({
  id,
  label,
  hint,
  error,
  maxLength,
  onChange,
  ...input
}: Omit<LabelledProps, "id"> & { id?: string; name: string } & InputHTMLAttributes<HTMLInputElement>) {
  const generatedId = useId();
  const inputId = id ?? generatedId;
  const { counted, handleChange, count } = useLengthCount(inputId, maxLength, { ...input, onChange });
  return (
    <Labelled id={inputId} label={label} hint={hint} error={error}>
      <input {...controlProps(inputId, { hint, error, counted })} {...input} onChange={handleChange} />
      {count}
    </Labelled>
  );
}

export function TextareaField({
  id,
  label,
  hint,
  error,
  maxLength,
  onChange,
  ...props
}: LabelledProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const { counted, handleChange, count } = useLengthCount(id, maxLength, { ...props, onChange });
  return (
    <Labelled id={id} label={label} hint={hint} error={error}>
      <textarea {...controlProps(id, { hint, error, counted })} {...props} onChange={handleChange} />
      {count}
    </Labelled>
  );
}

export function SelectField({
  id,
  label,
  hint,
  error,
  children,
  ...props
}: LabelledProps & { children: ReactNode } & SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <Labelled id={id} label={label} hint={hint} error={error}>
      <select {...controlProps(id, { hint, error })} {...props}>
        {children}
      </select>
    </Labelled>
  );
}
