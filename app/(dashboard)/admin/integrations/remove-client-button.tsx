"use client";
// Removing a client set on this page, after a confirmation that says what stops working.
import { useState } from "react";
import { ConfirmButton } from "@/components/kit/confirm-button";
import { Notice } from "@/components/kit/notice";
import { removeClientAction } from "./actions";

export function RemoveClientButton({ prefix, name }: { prefix: string; name: string }) {
  const [error, setError] = useState<string>();
  return (
    <div className="space-y-2">
      <ConfirmButton
        label={`Remove ${name} client`}
        title={`Remove the ${name} client?`}
        description={`Unless the environment variables set one, new ${name} accounts can no longer be connected, and connected ones stop working once their access needs renewing, until it is set up again.`}
        confirmLabel="Remove"
        onConfirm={async () => {
          const result = await removeClientAction(prefix);
          setError(result.ok ? undefined : result.message);
        }}
      />
      {error && <Notice tone="danger">{error}</Notice>}
    </div>
  );
}
