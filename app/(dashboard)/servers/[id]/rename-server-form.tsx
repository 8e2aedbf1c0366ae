"use client";
// Renames a server; its URL and tools stay the same.
import { useActionState } from "react";
import { Button } from "@/components/kit/button";
import { TextField } from "@/components/kit/fields";
import { Notice } from "@/components/kit/notice";
import { type RenameServerState, renameServerAction } from "./actions";

export function RenameServerForm({ serverId, name }: { serverId: string; name: string }) {
  const [state, action, pending] = useActionState<RenameServerState, FormData>(
    renameServerAction.bind(null, serverId),
    null,
  );
  const failure = state && !state.ok ? state : undefined;
  return (
    <form action={action} noValidate className="space-y-3">
      {failure && !failure.fieldErrors?.name && <Notice tone="danger">{failure.message}</Notice>}
      {state?.ok && <Notice tone="success">Renamed to “{state.data.name}”.</Notice>}
      <div className="flex flex-col gap-3 sm:flex-row sm:items-start">
        <div className="flex-1">
          <TextField
            id="name"
            label="Server name"
            name="name"
            required
            maxLength={100}
            defaultValue={state?.values?.name ?? name}
            error={failure?.fieldErrors?.name}
          />
        </div>
        <div className="sm:pt-6">
          <Button type="submit" pending={pending}>
            {pending ? "Saving…" : "Rename"}
          </Button>
        </div>
      </div>
    </form>
  );
}
