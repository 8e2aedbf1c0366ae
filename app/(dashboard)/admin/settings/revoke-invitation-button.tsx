"use client";
// Withdraws an unused invitation after confirming; its link then opens nothing.
import { ConfirmActionButton } from "@/components/kit/confirm-action-button";
import { revokeInvitationAction } from "./actions";

export function RevokeInvitationButton({ invitationId, name }: { invitationId: string; name: string }) {
  return (
    <ConfirmActionButton
      label={
        <>
          Revoke<span className="sr-only"> the invitation {name}</span>
        </>
      }
      title={`Revoke the invitation ${name}?`}
      description="Its link stops working at once. You can create a new invitation."
      confirmLabel="Revoke invitation"
      run={() => revokeInvitationAction(invitationId)}
    />
  );
}
