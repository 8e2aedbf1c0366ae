"use client";
// Suspending asks first (it stops every tool call of the user's AI apps and signs them out);
// resuming is one click. An administrator cannot suspend their own account.
import { useState } from "react";
import { Button } from "@/components/kit/button";
import { Card } from "@/components/kit/card";
import { ConfirmButton } from "@/components/kit/confirm-button";
import { Notice } from "@/components/kit/notice";
import { resumeUserAction, suspendUserAction } from "../actions";

export function SuspensionCard({
  userId,
  email,
  suspended,
  isSelf,
}: {
  userId: string;
  email: string;
  suspended: boolean;
  isSelf: boolean;
}) {
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, setPending] = useState(false);
  return (
    <Card className="space-y-3">
      <h3 className="font-medium">Account access</h3>
      {message &&
        (message.ok ? (
          <Notice tone="success">{message.text}</Notice>
        ) : (
          <Notice tone="danger">{message.text}</Notice>
        ))}
      {suspended ? (
        <>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            This account is suspended: it cannot sign in, and its AI apps' tool calls are refused.
          </p>
          <Button
            pending={pending}
            onClick={async () => {
              setPending(true);
              const result = await resumeUserAction(userId);
              setPending(false);
              setMessage(
                result.ok ? { ok: true, text: "Account resumed." } : { ok: false, text: result.message },
              );
            }}
          >
            {pending ? "Resuming…" : "Resume account"}
          </Button>
        </>
      ) : isSelf ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          This is your own account. Another administrator can suspend it.
        </p>
      ) : (
        <>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            Suspending signs this person out, refuses their tool calls and blocks their API tokens, until you
            resume the account. Nothing is deleted.
          </p>
          <ConfirmButton
            size="md"
            label="Suspend account"
            title={`Suspend ${email}?`}
            description="They are signed out at once, and every tool call from their AI apps is refused until you resume the account. Their servers, connections and history are kept."
            confirmLabel="Suspend"
            onConfirm={async () => {
              const result = await suspendUserAction(userId);
              setMessage(
                result.ok ? { ok: true, text: "Account suspended." } : { ok: false, text: result.message },
              );
            }}
          />
        </>
      )}
    </Card>
  );
}
