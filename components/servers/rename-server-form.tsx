"use client";
// Renames a server; its URL and tools stay the same.
import { useActionState } from "react";
import { type RenameServerState, renameServerAction } from "@/app/(dashboard)/servers/[id]/actions";
import { ActionButton, Notice } from "@/components/kit";
import { Alert, Field } from "@/components/ui";

export function RenameServerForm({ serverId, name }: { serverId: string; name: string }) {
  const [state, action, pending] = useActionState<RenameServerState, FormData>(
    renameServerAction.bind(null, serverId),
    null,
  );
  const failure = state && !state.ok ? state : undefined;
  return (
    <form action={action} noValidate className="space-y-3">
      {failure && !failure.fieldErrors?.name && <Alert>{failure.message}</Alert>}
      {state?.ok && <Notice tone="success">Renamed to “{state.data.name}”.</Notice>}
      <div className="flex flex-col gap-3 sm:flex-row sm:items-start">
        <div className="flex-1">
          <Field
            label="Server name"
            name="name"
            required
            maxLength={100}
            defaultValue={state?.values?.name ?? name}
            error={failure?.fieldErrors?.name}
          />
        </div>
        <div className="sm:pt-6">
          <ActionButton type="submit" pending={pending}>
            {pending ? "Saving…" : "Rename"}
          </ActionButton>
        </div>
      </div>
    </form>
  );
}
