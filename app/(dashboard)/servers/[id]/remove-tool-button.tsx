"use client";
// Removing a tool asks first; AI apps stop seeing it at once. On the server's page the list then
// loses it; from the tool's own page (`returnTo`) the person goes back to the server.
import { useRouter } from "next/navigation";
import { ConfirmActionButton } from "@/components/kit/confirm-action-button";
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
  return (
    <ConfirmActionButton
      label={
        <>
          Remove<span className="sr-only"> {toolName}</span>
        </>
      }
      title={`Remove “${toolName}”?`}
      description="AI apps using this server lose the tool at once. Its past calls stay in your history."
      confirmLabel="Remove tool"
      run={() => deleteToolAction(serverId, toolId)}
      onDone={returnTo ? () => router.push(returnTo) : undefined}
    />
  );
}
