// Labelled form controls (text input, textarea, select) whose hint and error are tied to the
// control for screen readers. A text field without an `id` gets one from useId, so that a page can
// show the same form more than once (one per connection) without clashing ids.
import {
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
  useId,
} from "react";

export const inputClasses =
  "block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm shadow-sm placeholder:text-zinc-500 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-brand-600 aria-[invalid=true]:border-red-500 dark:border-zinc-700 dark:bg-zinc-900 dark:placeholder:text-zinc-400";

/** The ids of a control's hint and error, for its aria-describedby. */
export function describedBy(id: string, { hint, error }: { hint?: ReactNode; error?: ReactNode }) {
  return [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(" ") || undefined;
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

function controlProps(id: string, { hint, error }: { hint?: ReactNode; error?: string }) {
  return {
    id,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": describedBy(id, { hint, error }),
    className: inputClasses,
  };
}

export function TextField({
  id,
  label,
  hint,
  error,
  ...input
}: Omit<LabelledProps, "id"> & { id?: string; name: string } & InputHTMLAttributes<HTMLInputElement>) {
  const generatedId = useId();
  const inputId = id ?? generatedId;
  return (
    <Labelled id={inputId} label={label} hint={hint} error={error}>
      <input {...controlProps(inputId, { hint, error })} {...input} />
    </Labelled>
  );
}

export function TextareaField({
  id,
  label,
  hint,
  error,
  ...props
}: LabelledProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <Labelled id={id} label={label} hint={hint} error={error}>
      <textarea {...controlProps(id, { hint, error })} {...props} />
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
