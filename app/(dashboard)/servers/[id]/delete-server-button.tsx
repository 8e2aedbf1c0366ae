"use client";
// Deletes a server after confirming; the action then takes the person back to the list.
import { useState } from "react";
import { ConfirmButton } from "@/components/kit/confirm-button";
import { Notice } from "@/components/kit/notice";
import { deleteServerAction } from "./actions";

export function DeleteServerButton({ serverId, name }: { serverId: string; name: string }) {
  const [error, setError] = useState<string>();
  return (
    <div className="space-y-2">
      {error && <Notice tone="danger">{error}</Notice>}
      <ConfirmButton
        size="md"
        label="Delete this server"
        title={`Delete “${name}”?`}
        description="Its URL stops working at once in every app that uses it, and its tools are removed. Your connected accounts and call history stay."
        confirmLabel="Delete server"
        onConfirm={async () => {
          setError(undefined);
          const result = await deleteServerAction(serverId);
          // On success the action redirects to /servers and nothing comes back.
          if (result && !result.ok) setError(result.message);
        }}
      />
    </div>
  );
}
