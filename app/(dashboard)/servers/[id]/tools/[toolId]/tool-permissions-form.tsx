"use client";
// Who may call an organization's tool: roles and named members. Nothing ticked: every member the
// server allows. Shown to owners and admins, on an organization's server only.
import { useActionState } from "react";
import { Button } from "@/components/kit/button";
import { Notice } from "@/components/kit/notice";
import type { OrgRole } from "@/lib/orgs/roles";
import type { ActionResult } from "@/lib/web/server-action";
import { setToolPermissionsAction } from "../actions";

type Member = { userId: string; email: string; name: string | null; role: OrgRole };

const roleChoices: { role: OrgRole; label: string }[] = [
  { role: "OWNER", label: "Owners" },
  { role: "ADMIN", label: "Admins" },
  { role: "MEMBER", label: "Members" },
  { role: "VIEWER", label: "Viewers" },
];

export function ToolPermissionsForm({
  serverId,
  toolId,
  members,
  allowedRoles,
  allowedUserIds,
}: {
  serverId: string;
  toolId: string;
  members: Member[];
  allowedRoles: OrgRole[];
  allowedUserIds: string[];
}) {
  const [state, action, pending] = useActionState<ActionResult | null, FormData>(
    (_previous, form) => setToolPermissionsAction(serverId, toolId, form),
    null,
  );
  return (
    <form action={action} className="space-y-4" aria-labelledby="permissions-title">
      <div>
        <h2 id="permissions-title" className="text-lg font-semibold">
          Who may call this tool
        </h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          With nothing ticked, every member may call it (viewers only if it only reads, and only owners and
          admins if the server makes tools that change data admin-only).
        </p>
      </div>
      {state && !state.ok && <Notice tone="danger">{state.message}</Notice>}
      {state?.ok && <Notice tone="success">Saved who may call this tool.</Notice>}
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium">Roles</legend>
        {roleChoices.map(({ role, label }) => (
          <label key={role} className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              name="allowedRoles"
              value={role}
              defaultChecked={allowedRoles.includes(role)}
              className="size-4 accent-brand-600"
            />
            {label}
          </label>
        ))}
      </fieldset>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium">Named members</legend>
        {members.map((member) => (
          <label key={member.userId} className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              name="allowedUserIds"
              value={member.userId}
              defaultChecked={allowedUserIds.includes(member.userId)}
              className="size-4 accent-brand-600"
            />
            {member.name ? `${member.name} (${member.email})` : member.email}
          </label>
        ))}
      </fieldset>
      <Button type="submit" pending={pending}>
        {pending ? "Saving…" : "Save who may call it"}
      </Button>
    </form>
  );
}
