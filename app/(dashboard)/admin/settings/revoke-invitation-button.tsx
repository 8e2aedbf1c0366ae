"use client";
// Withdraws an unused invitation after confirming; its link then opens nothing.
import { useState } from "react";
import { ConfirmButton } from "@/components/kit/confirm-button";
import { Notice } from "@/components/kit/notice";
import { revokeInvitationAction } from "./actions";

export function RevokeInvitationButton({ invitationId, name }: { invitationId: string; name: string }) {
  const [error, setError] = useState<string>();
  return (
    <div className="space-y-2">
      {error && <Notice tone="danger">{error}</Notice>}
      <ConfirmButton
        label={
          <>
            Revoke<span className="sr-only"> the invitation {name}</span>
          </>
        }
        title={`Revoke the invitation ${name}?`}
        description="Its link stops working at once. You can create a new invitation."
        confirmLabel="Revoke invitation"
        onConfirm={async () => {
          setError(undefined);
          const result = await revokeInvitationAction(invitationId);
          if (!result.ok) setError(result.message);
        }}
      />
    </div>
  );
}
