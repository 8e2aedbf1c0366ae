"use client";
// Withdraws a pending invitation to the organization after confirming; its link then opens nothing.
import { ConfirmActionButton } from "@/components/kit/confirm-action-button";
import { revokeOrgInvitationAction } from "./actions";

export function RevokeOrgInvitationButton({
  orgId,
  invitationId,
  email,
}: {
  orgId: string;
  invitationId: string;
  email: string;
}) {
  return (
    <ConfirmActionButton
      label={
        <>
          Revoke<span className="sr-only"> the invitation for {email}</span>
        </>
      }
      title={`Revoke the invitation for ${email}?`}
      description="Its link stops working at once. You can invite them again."
      confirmLabel="Revoke invitation"
      run={() => revokeOrgInvitationAction(orgId, invitationId)}
    />
  );
}
