"use client";
// Revokes an API token after confirming; the list then drops it.
import { useState } from "react";
import { ConfirmButton } from "@/components/kit/confirm-button";
import { Notice } from "@/components/kit/notice";
import { revokeApiTokenAction } from "./actions";

export function RevokeTokenButton({ tokenId, name }: { tokenId: string; name: string }) {
  const [error, setError] = useState<string>();
  return (
    <div className="space-y-2">
      {error && <Notice tone="danger">{error}</Notice>}
      <ConfirmButton
        label={
          <>
            Revoke<span className="sr-only"> {name}</span>
          </>
        }
        title={`Revoke “${name}”?`}
        description="Every script or tool that uses it is refused from its next request. This cannot be undone; you can create a new token."
        confirmLabel="Revoke token"
        onConfirm={async () => {
          setError(undefined);
          const result = await revokeApiTokenAction(tokenId);
          if (!result.ok) setError(result.message);
        }}
      />
    </div>
  );
}
