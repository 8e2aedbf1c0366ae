"use client";
// "Get my URL" for an organization's server (shown once; asking again replaces the old one) and
// "Revoke" for a member's URL.
import { useState } from "react";
import { Button } from "@/components/kit/button";
import { ConfirmActionButton } from "@/components/kit/confirm-action-button";
import { ConfirmButton } from "@/components/kit/confirm-button";
import { Notice } from "@/components/kit/notice";
import { OneTimeUrl } from "../one-time-url";
import { issueMemberUrlAction, revokeMemberUrlAction } from "./member-url-actions";

export function GetMyUrlButton({ serverId, hasOne }: { serverId: string; hasOne: boolean }) {
  const [url, setUrl] = useState<string>();
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);
  async function issue() {
    setError(undefined);
    setPending(true);
    try {
      const result = await issueMemberUrlAction(serverId);
      if (result.ok) setUrl(result.data.url);
      else setError(result.message);
    } finally {
      setPending(false);
    }
  }
  return (
    <div className="space-y-3">
      {url && <OneTimeUrl url={url} heading="Here is your own URL for this server." />}
      {error && <Notice tone="danger">{error}</Notice>}
      {hasOne || url ? (
        <ConfirmButton
          size="md"
          label="Get a new URL"
          title="Replace your URL for this server?"
          description="Your current URL stops working at once, in every app that uses it. Other members' URLs are not affected."
          confirmLabel="Replace my URL"
          onConfirm={issue}
        />
      ) : (
        <Button variant="primary" pending={pending} onClick={() => void issue()}>
          {pending ? "Making your URL…" : "Get my URL"}
        </Button>
      )}
    </div>
  );
}

export function RevokeMemberUrlButton({
  serverId,
  memberId,
  email,
}: {
  serverId: string;
  memberId: string;
  email: string;
}) {
  return (
    <ConfirmActionButton
      label={
        <>
          Revoke<span className="sr-only"> the URL of {email}</span>
        </>
      }
      title={`Revoke the URL of ${email}?`}
      description="Their URL for this server stops working at once. Nobody else's changes; they can get a new one while they are a member."
      confirmLabel="Revoke URL"
      run={() => revokeMemberUrlAction(serverId, memberId)}
    />
  );
}
