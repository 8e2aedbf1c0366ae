"use client";
// A freshly made MCP URL. Only its hash is stored, so this is the one time it can be shown.
import { CopyButton } from "@/components/kit/copy-button";
import { Notice } from "@/components/kit/notice";

export function OneTimeUrl({ url, heading }: { url: string; heading: string }) {
  return (
    <div className="space-y-3" data-testid="one-time-url">
      <Notice tone="success">
        <p className="font-semibold">{heading}</p>
        <p className="mt-1">
          Copy it now and paste it into your AI app. It is shown only this once: Toolgate keeps just a
          fingerprint of it, so nobody (not even you) can read it again. If you lose it, ask for a new one on
          the server&apos;s page.
        </p>
      </Notice>
      <div className="flex flex-col gap-2 sm:flex-row sm:items-center">
        <label htmlFor="new-mcp-url" className="sr-only">
          Your MCP URL
        </label>
        <input
          id="new-mcp-url"
          readOnly
          value={url}
          onFocus={(event) => event.currentTarget.select()}
          className="block w-full min-w-0 flex-1 rounded-md border border-zinc-300 bg-white px-3 py-2 font-mono text-xs dark:border-zinc-700 dark:bg-zinc-950"
        />
        <div className="flex shrink-0">
          <CopyButton value={url} label="Copy URL" />
        </div>
      </div>
      <p className="text-xs text-zinc-600 dark:text-zinc-400">
        Treat it like a password: anyone with this URL can use this server&apos;s tools with your accounts.
      </p>
    </div>
  );
}
