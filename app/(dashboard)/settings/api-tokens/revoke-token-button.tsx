"use client";
// Revokes an API token after confirming; the list then drops it.
import { ConfirmActionButton } from "@/components/kit/confirm-action-button";
import { revokeApiTokenAction } from "./actions";

export function RevokeTokenButton({ tokenId, name }: { tokenId: string; name: string }) {
  return (
    <ConfirmActionButton
      label={
        <>
          Revoke<span className="sr-only"> {name}</span>
        </>
      }
      title={`Revoke “${name}”?`}
      description="Every script or tool that uses it is refused from its next request. This cannot be undone; you can create a new token."
      confirmLabel="Revoke token"
      run={() => revokeApiTokenAction(tokenId)}
    />
  );
}
