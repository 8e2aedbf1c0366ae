"use client";
// The buttons of an added app's page: check whether the upstream answers, read it again, delete the
// app, and for each action accept the definition shown (by its hash) and offer it or not. Each says
// what happened or why not.
import { useOptimistic, useState, useTransition } from "react";
import { Button } from "@/components/kit/button";
import { ConfirmActionButton } from "@/components/kit/confirm-action-button";
import { Notice } from "@/components/kit/notice";
import {
  acceptActionAction,
  checkAppAction,
  deleteAppAction,
  refreshAppAction,
  setOfferedAction,
} from "./actions";

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** Reaches the upstream now; the health shown above it follows from the page's next render. */
export function CheckNowButton({ slug }: { slug: string }) {
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<{ tone: "success" | "danger"; text: string }>();
  return (
    <div className="mt-3 space-y-2">
      <Button
        size="sm"
        pending={pending}
        onClick={() =>
          startTransition(async () => {
            setMessage(undefined);
            const result = await checkAppAction(slug);
            if (!result.ok) setMessage({ tone: "danger", text: result.message });
            else if (result.data.healthy)
              setMessage({ tone: "success", text: `It answered in ${result.data.latencyMs} ms.` });
            else setMessage({ tone: "danger", text: `It did not answer: ${result.data.error}` });
          })
        }
      >
        {pending ? "Checking…" : "Check now"}
      </Button>
      {message && <Notice tone={message.tone}>{message.text}</Notice>}
    </div>
  );
}

export function AppControls({ slug, name }: { slug: string; name: string }) {
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<{ tone: "success" | "danger"; text: string }>();
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap gap-2">
        <Button
          pending={pending}
          onClick={() =>
            startTransition(async () => {
              setMessage(undefined);
              const result = await refreshAppAction(slug);
              if (!result.ok) setMessage({ tone: "danger", text: result.message });
              else {
                const { added, changed, removed } = result.data;
                setMessage({
                  tone: "success",
                  text:
                    added + changed + removed === 0
                      ? "Read again: nothing changed."
                      : `Read again: ${plural(added, "new action")}, ${plural(changed, "changed action")}, ${plural(removed, "removed action")}. Review them below.`,
                });
              }
            })
          }
        >
          {pending ? "Refreshing…" : "Refresh"}
        </Button>
        <ConfirmActionButton
          label="Delete"
          size="md"
          title={`Delete ${name}?`}
          description="Its tools on every server and every account connected to it are deleted with it. AI apps can no longer call them."
          confirmLabel="Delete app"
          run={() => deleteAppAction(slug)}
        />
      </div>
      {message && <Notice tone={message.tone}>{message.text}</Notice>}
    </div>
  );
}

export function ActionControls({
  slug,
  actionKey,
  title,
  hash,
  canAccept,
  flagged,
  offered,
}: {
  slug: string;
  actionKey: string;
  title: string;
  hash: string;
  canAccept: boolean;
  /** The scan found something: accepting asks first. */
  flagged: boolean;
  offered: boolean;
}) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string>();
  // The box follows the click at once; the page's next render (or a refusal) settles it.
  const [shownOffered, showOffered] = useOptimistic(offered);
  const run = (work: () => ReturnType<typeof acceptActionAction>, before?: () => void) =>
    startTransition(async () => {
      before?.();
      setError(undefined);
      const result = await work();
      if (!result.ok) setError(result.message);
    });
  return (
    <div className="mt-3 space-y-2">
      <div className="flex flex-wrap items-center gap-3">
        {canAccept && flagged && (
          <ConfirmActionButton
            label={
              <>
                Accept<span className="sr-only"> {title}</span>
              </>
            }
            title={`Accept ${title} despite the findings?`}
            description="The scan found text in this definition that may be aimed at the AI rather than describe the action. Once accepted, AI apps can call it and read that text. Accept only if you trust this upstream and have read the findings."
            confirmLabel="Accept anyway"
            run={() => acceptActionAction(slug, actionKey, hash)}
          />
        )}
        {canAccept && !flagged && (
          <Button
            variant="primary"
            size="sm"
            pending={pending}
            aria-label={`Accept ${title}`}
            data-hash={hash}
            onClick={() => run(() => acceptActionAction(slug, actionKey, hash))}
          >
            Accept
          </Button>
        )}
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={shownOffered}
            disabled={pending}
            aria-label={`Offer ${title}`}
            onChange={(event) => {
              const next = event.target.checked;
              run(
                () => setOfferedAction(slug, actionKey, next),
                () => showOffered(next),
              );
            }}
            className="size-4 rounded border-zinc-300 text-brand-600"
          />
          Offered
        </label>
      </div>
      {error && <Notice tone="danger">{error}</Notice>}
    </div>
  );
}
