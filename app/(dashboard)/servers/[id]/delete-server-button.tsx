"use client";
// Deletes a server after confirming; the action then takes the person back to the list.
import { ConfirmActionButton } from "@/components/kit/confirm-action-button";
import { deleteServerAction } from "./actions";

export function DeleteServerButton({ serverId, name }: { serverId: string; name: string }) {
  return (
    <ConfirmActionButton
      size="md"
      label="Delete this server"
      title={`Delete “${name}”?`}
      description="Its URL stops working at once in every app that uses it, and its tools are removed. Your connected accounts and call history stay."
      confirmLabel="Delete server"
      // On success the action redirects to /servers and nothing comes back.
      run={() => deleteServerAction(serverId)}
    />
  );
}
