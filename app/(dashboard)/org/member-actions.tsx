"use client";
// What can be done to a member on the organization page: change their role (owners and admins,
// within what their own role may give), remove them, or leave the organization oneself.
import { useActionState, useId } from "react";
import { Button } from "@/components/kit/button";
import { ConfirmActionButton } from "@/components/kit/confirm-action-button";
import { inputClasses } from "@/components/kit/fields";
import { changeRoleAction, leaveOrgAction, type RoleFormState, removeMemberAction } from "./actions";

export function RoleForm({
  orgId,
  memberId,
  email,
  role,
  roles,
}: {
  orgId: string;
  memberId: string;
  email: string;
  role: string;
  roles: { value: string; label: string }[];
}) {
  const [state, action, pending] = useActionState<RoleFormState, FormData>(
    changeRoleAction.bind(null, orgId, memberId),
    null,
  );
  const id = useId();
  const failure = state && !state.ok ? state : undefined;
  return (
    <form action={action} className="flex flex-wrap items-center gap-2">
      <label htmlFor={`${id}-role`} className="sr-only">
        Role of {email}
      </label>
      <select
        key={state?.ok ? state.data.role : role}
        id={`${id}-role`}
        name="role"
        defaultValue={state?.ok ? state.data.role : role}
        aria-invalid={failure ? true : undefined}
        aria-describedby={failure ? `${id}-error` : undefined}
        className={`${inputClasses} w-auto py-1.5`}
      >
        {roles.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
      <Button type="submit" size="sm" pending={pending}>
        {pending ? "Saving…" : "Change role"}
        <span className="sr-only"> of {email}</span>
      </Button>
      <span role="status" className="text-sm text-green-800 dark:text-green-300">
        {state?.ok ? "Saved." : ""}
      </span>
      {failure && (
        <p id={`${id}-error`} role="alert" className="basis-full text-sm text-red-700 dark:text-red-400">
          {failure.message}
        </p>
      )}
    </form>
  );
}

export function RemoveMemberButton({
  orgId,
  memberId,
  email,
}: {
  orgId: string;
  memberId: string;
  email: string;
}) {
  return (
    <ConfirmActionButton
      label={
        <>
          Remove<span className="sr-only"> {email}</span>
        </>
      }
      title={`Remove ${email}?`}
      description="They lose access to the organization at once: their own URLs for its servers stop working. Their past calls stay in its history."
      confirmLabel="Remove member"
      run={() => removeMemberAction(orgId, memberId)}
    />
  );
}

export function LeaveOrgButton({ orgId, orgName }: { orgId: string; orgName: string }) {
  return (
    <ConfirmActionButton
      label="Leave the organization"
      title={`Leave ${orgName}?`}
      description="You lose access to its connections and servers, and your own URLs for its servers stop working. To come back, someone must invite you again."
      confirmLabel="Leave"
      run={() => leaveOrgAction(orgId)}
    />
  );
}
