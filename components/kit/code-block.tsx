"use client";
// A command or a configuration file to paste, with its own copy button. Long lines wrap rather
// than scroll, so nothing is hidden on a phone. Code that holds a placeholder instead of the real
// URL (`copyable` false) offers to show a new URL (the server page's "Your MCP URL" section, #url) instead.
import { buttonClasses } from "./button";
import { CopyButton } from "./copy-button";

export function CodeBlock({ code, copyable = true }: { code: string; copyable?: boolean }) {
  return (
    <div className="relative">
      <pre className="rounded-md border border-zinc-200 bg-zinc-50 p-3 pr-20 font-mono text-xs leading-relaxed break-all whitespace-pre-wrap text-zinc-800 dark:border-zinc-800 dark:bg-zinc-950 dark:text-zinc-200">
        <code>{code}</code>
      </pre>
      <div className="absolute right-2 top-2">
        {copyable ? (
          <CopyButton value={code} label="Copy" />
        ) : (
          <a href="#url" className={buttonClasses("secondary", "sm")}>
            Get the URL
          </a>
        )}
      </div>
    </div>
  );
}
