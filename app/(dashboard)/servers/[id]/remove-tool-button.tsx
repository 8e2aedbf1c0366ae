"use client";
// Removing a tool asks first; AI apps stop seeing it at once. On the server's page the list then
// loses it; from the tool's own page (`returnTo`) the person goes back to the server.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ConfirmButton } from "@/components/kit/confirm-button";
import { Notice } from "@/components/kit/notice";
import { deleteToolAction } from "./actions";

export function RemoveToolButton({
  serverId,
  toolId,
  toolName,
  returnTo,
}: {
  serverId: string;
  toolId: string;
  toolName: string;
  returnTo?: string;
}) {
  const router = useRouter();
  const [error, setError] = useState<string>();
  return (
    <div className="space-y-2">
      <ConfirmButton
        label={
          <>
            Remove<span className="sr-only"> {toolName}</span>
          </>
        }
        title={`Remove “${toolName}”?`}
        description="AI apps using this server lose the tool at once. Its past calls stay in your history."
        confirmLabel="Remove tool"
        onConfirm={async () => {
          setError(undefined);
          const result = await deleteToolAction(serverId, toolId);
          if (!result.ok) setError(result.message);
          else if (returnTo) router.push(returnTo);
        }}
      />
      {error && <Notice tone="danger">{error}</Notice>}
    </div>
  );
}
