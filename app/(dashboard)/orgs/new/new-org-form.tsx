"use client";
// The one field of a new organization: its name. On success the page moves to the organization.
import { useActionState } from "react";
import { Button } from "@/components/kit/button";
import { TextField } from "@/components/kit/fields";
import { Notice } from "@/components/kit/notice";
import { createOrgAction, type NewOrgState } from "./actions";

export function NewOrgForm() {
  const [state, action, pending] = useActionState<NewOrgState, FormData>(createOrgAction, null);
  const failure = state && !state.ok ? state : undefined;
  return (
    <form action={action} noValidate className="space-y-4">
      {failure && !failure.fieldErrors && <Notice tone="danger">{failure.message}</Notice>}
      <TextField
        id="org-name"
        label="Name"
        name="name"
        autoComplete="organization"
        maxLength={100}
        hint="Your team's or company's name, as its members will see it."
        defaultValue={state?.values?.name}
        error={failure?.fieldErrors?.name ?? failure?.fieldErrors?.form}
      />
      <Button type="submit" variant="primary" pending={pending}>
        {pending ? "Creating…" : "Create organization"}
      </Button>
    </form>
  );
}
