"use client";
// Removing a tool asks first, then returns to the server's page.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { deleteToolAction } from "@/app/(dashboard)/servers/[id]/tools/actions";
import { ConfirmButton } from "@/components/kit/confirm-button";
import { Notice } from "@/components/kit/notice";

export function RemoveToolButton({
  serverId,
  toolId,
  toolName,
}: {
  serverId: string;
  toolId: string;
  toolName: string;
}) {
  const router = useRouter();
  const [error, setError] = useState<string>();
  return (
    <div className="space-y-2">
      <ConfirmButton
        size="md"
        label="Remove tool"
        title={`Remove "${toolName}"?`}
        description="AI apps using this server lose the tool at once. Its past calls stay in your history."
        confirmLabel="Remove tool"
        onConfirm={async () => {
          const result = await deleteToolAction(serverId, toolId);
          if (!result.ok) {
            setError(result.message);
            return;
          }
          router.push(`/servers/${serverId}`);
        }}
      />
      {error && <Notice tone="danger">{error}</Notice>}
    </div>
  );
}
