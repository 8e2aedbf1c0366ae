"use client";
// The one switch that makes every tool of an organization's server that changes data or is
// destructive callable by owners and admins only.
import { useActionState } from "react";
import { Button } from "@/components/kit/button";
import { Notice } from "@/components/kit/notice";
import type { ActionResult } from "@/lib/web/server-action";
import { setWritesAdminOnlyAction } from "./actions";

export function WritesAdminOnlyForm({
  serverId,
  writesAdminOnly,
}: {
  serverId: string;
  writesAdminOnly: boolean;
}) {
  const [state, action, pending] = useActionState<ActionResult<boolean> | null, FormData>(
    (_previous, form) => setWritesAdminOnlyAction(serverId, form),
    null,
  );
  return (
    <form action={action} className="space-y-3">
      {state && !state.ok && <Notice tone="danger">{state.message}</Notice>}
      {state?.ok && (
        <Notice tone="success">
          {state.data
            ? "Only owners and admins can now call tools that change data."
            : "Every member can now call tools that change data (viewers still cannot)."}
        </Notice>
      )}
      <label className="flex items-start gap-2 text-sm">
        <input
          type="checkbox"
          name="writesAdminOnly"
          defaultChecked={writesAdminOnly}
          aria-describedby="writes-admin-only-hint"
          className="mt-0.5 size-4 accent-brand-600"
        />
        Only owners and admins may call tools that change data or delete things
      </label>
      <p id="writes-admin-only-hint" className="text-xs text-zinc-600 dark:text-zinc-400">
        Tools that only read stay open to every member.
      </p>
      <Button type="submit" pending={pending}>
        {pending ? "Saving…" : "Save"}
      </Button>
    </form>
  );
}
