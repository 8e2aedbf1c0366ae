"use client";
// A freshly made MCP URL. Only its hash is stored, so this is the one time it can be shown.

import { Notice } from "@/components/kit/notice";
import { OneTimeValue } from "@/components/kit/one-time-value";

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
      <OneTimeValue id="new-mcp-url" label="Your MCP URL" value={url} copyLabel="Copy URL" />
      <p className="text-xs text-zinc-600 dark:text-zinc-400">
        Treat it like a password: anyone with this URL can use this server&apos;s tools with your accounts.
      </p>
    </div>
  );
}
