"use client";
import { TextField } from "@/components/kit/fields";
// One input per credential an app asks for, as its catalog entry describes them: the label, where
// to find the value, and secrets typed into password inputs that browsers neither fill nor keep.
import type { CredentialField } from "@/integrations/sdk/define";

/** Form fields are named `credentials.<name>`, the same key AppError details use for the field. */
export const credentialInputName = (field: Pick<CredentialField, "name">) => `credentials.${field.name}`;

export function CredentialFields({
  fields,
  errors,
  labelPrefix = "",
  autoFocus = false,
}: {
  fields: CredentialField[];
  errors?: Record<string, string>;
  labelPrefix?: string;
  /** Focus the first field (a form that opens in place on request). */
  autoFocus?: boolean;
}) {
  return (
    <>
      {fields.map((field, index) => {
        const name = credentialInputName(field);
        return (
          <TextField
            key={field.name}
            label={`${labelPrefix}${field.label}`}
            name={name}
            type={field.secret ? "password" : "text"}
            autoComplete="off"
            spellCheck={false}
            required
            autoFocus={autoFocus && index === 0}
            hint={field.help}
            error={errors?.[name]}
          />
        );
      })}
    </>
  );
}
