"use client";
// "Your MCP URL": the stored secret is only a hash, so the URL is shown masked; a new one replaces
// it (after a warning) and is shown once.
import { useState } from "react";
import { ConfirmButton } from "@/components/kit/confirm-button";
import { Notice } from "@/components/kit/notice";
import { OneTimeUrl } from "../one-time-url";
import { rotateServerUrlAction } from "./actions";
import { useNewUrl } from "./new-url-context";

export function ServerUrlSection({ serverId, maskedUrl }: { serverId: string; maskedUrl: string }) {
  const { url, setUrl } = useNewUrl();
  const [error, setError] = useState<string>();
  return (
    <div className="space-y-3">
      {url ? (
        <OneTimeUrl url={url} heading="Here is your new MCP URL. The old one no longer works." />
      ) : (
        <>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            For your safety the full URL was shown only once, when it was made. If you lost it, or think
            someone else has it, make a new one.
          </p>
          <p
            className="rounded-md border border-zinc-200 bg-zinc-50 px-3 py-2 font-mono text-xs break-all dark:border-zinc-800 dark:bg-zinc-950"
            data-testid="masked-url"
          >
            <span className="sr-only">Hidden URL: </span>
            {maskedUrl}
          </p>
        </>
      )}
      {error && <Notice tone="danger">{error}</Notice>}
      <ConfirmButton
        size="md"
        label={url ? "Show another new URL" : "Show a new URL"}
        title="Replace this server's URL?"
        description={
          <>
            The current URL stops working at once, in every app that uses it. You will then paste the new URL
            into those apps.
          </>
        }
        confirmLabel="Replace the URL"
        onConfirm={async () => {
          setError(undefined);
          const result = await rotateServerUrlAction(serverId);
          if (result.ok) setUrl(result.data.url);
          else setError(result.message);
        }}
      />
    </div>
  );
}
