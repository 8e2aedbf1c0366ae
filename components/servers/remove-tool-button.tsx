"use client";
// Removes one tool from a server after confirming; AI apps stop seeing it at once.
import { useState } from "react";
import { removeToolAction } from "@/app/(dashboard)/servers/[id]/actions";
import { ConfirmButton } from "@/components/kit/confirm-button";

export function RemoveToolButton({
  serverId,
  toolId,
  toolName,
}: {
  serverId: string;
  toolId: string;
  toolName: string;
}) {
  const [error, setError] = useState<string>();
  return (
    <>
      <ConfirmButton
        label={
          <>
            Remove<span className="sr-only"> {toolName}</span>
          </>
        }
        title={`Remove “${toolName}”?`}
        description="AI apps using this server will no longer see this tool. Your accounts and other tools stay as they are."
        confirmLabel="Remove tool"
        onConfirm={async () => {
          setError(undefined);
          const result = await removeToolAction(serverId, toolId);
          if (!result.ok) setError(result.message);
        }}
      />
      {error && (
        <p role="alert" className="w-full text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      )}
    </>
  );
}
