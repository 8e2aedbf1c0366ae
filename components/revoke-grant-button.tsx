"use client";
// Revokes an AI app's access after confirming; the page's own server action does it, so each page
// keeps its own rules (a person, an organization admin, a platform administrator).
import { ConfirmActionButton } from "@/components/kit/confirm-action-button";
import type { ActionResult } from "@/lib/web/server-action";

export function RevokeGrantButton({
  grantId,
  appName,
  serverName,
  revoke,
}: {
  grantId: string;
  appName: string;
  serverName: string;
  revoke: (grantId: string) => Promise<ActionResult>;
}) {
  return (
    <ConfirmActionButton
      label={
        <>
          Revoke
          <span className="sr-only">
            {" "}
            {appName}&apos;s access to {serverName}
          </span>
        </>
      }
      title={`Revoke ${appName}'s access to ${serverName}?`}
      description="The app is refused from its next request and cannot renew its access. To use it again, someone must sign in from the app once more."
      confirmLabel="Revoke access"
      run={() => revoke(grantId)}
    />
  );
}
