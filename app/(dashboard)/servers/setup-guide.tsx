"use client";
// Exact steps for each AI app, opened on the app the server is named after, with the real URL
// when it was just shown and a placeholder otherwise (whose copy buttons offer a new URL instead
// of copying the placeholder). Config shapes follow each app's own documentation: Claude Code's
// `claude mcp add --transport http`, Cursor's `mcpServers.<name>.url` and install link, VS Code's
// `servers.<name>` with `type: "http"` and install link, and mcp-remote for apps that only start
// local (stdio) servers.
import * as Tabs from "@radix-ui/react-tabs";
import type { ReactNode } from "react";
import { buttonClasses } from "@/components/kit/button";
import { CodeBlock } from "@/components/kit/code-block";
import { Notice } from "@/components/kit/notice";
import {
  cursorInstallLink,
  isLoopbackAddress,
  needsAllowHttp,
  setupAppForServerName,
  setupApps,
  vscodeInstallLink,
} from "./setup-links";

export const urlPlaceholder = "<your MCP URL>";

function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

function Steps({ children }: { children: ReactNode }) {
  return <ol className="list-decimal space-y-2 pl-5 text-sm">{children}</ol>;
}

function Hint({ children }: { children: ReactNode }) {
  return <p className="text-xs text-zinc-600 dark:text-zinc-400">{children}</p>;
}

function Path({ children }: { children: ReactNode }) {
  return (
    <code className="rounded bg-zinc-100 px-1 py-0.5 font-mono text-xs dark:bg-zinc-800">{children}</code>
  );
}

function InstallLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <a href={href} className={buttonClasses("primary")}>
      {children}
    </a>
  );
}

export function SetupGuide({
  url,
  appUrl,
  serverName,
}: {
  url?: string;
  appUrl: string;
  serverName?: string;
}) {
  const target = url ?? urlPlaceholder;
  const remoteArgs = ["-y", "mcp-remote", target, ...(needsAllowHttp(appUrl) ? ["--allow-http"] : [])];
  const stdioConfig = json({ mcpServers: { toolgate: { command: "npx", args: remoteArgs } } });
  const publicNote = (app: string) =>
    `${app} reaches the URL from its own servers on the internet, so this Toolgate must be reachable there over HTTPS.`;
  const unreachable = (app: string) =>
    isLoopbackAddress(appUrl) && (
      <Notice tone="warning">
        This Toolgate&apos;s address, {appUrl}, works on this computer only. {app} connects from the internet
        and cannot reach it: publish Toolgate at a public HTTPS address and set <Path>APP_URL</Path> to it.
      </Notice>
    );
  const oauthUrl = `${appUrl}/mcp`;
  // Without the real URL a copy button would copy the placeholder: it offers a new URL instead.
  const copyable = url !== undefined;

  return (
    <div className="space-y-3" data-testid="setup-guide">
      {url ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          The steps below already contain your new URL.
        </p>
      ) : (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Replace <Path>{urlPlaceholder}</Path> with your server&apos;s URL. It is shown when you create the
          server or ask for a new URL.
        </p>
      )}
      <Tabs.Root defaultValue={setupAppForServerName(serverName)}>
        <Tabs.List
          aria-label="AI apps"
          className="flex flex-wrap gap-1 border-b border-zinc-200 dark:border-zinc-800"
        >
          {setupApps.map((tab) => (
            <Tabs.Trigger
              key={tab.value}
              value={tab.value}
              className="-mb-px rounded-t-md border-b-2 border-transparent px-3 py-2 text-sm font-medium text-zinc-600 hover:text-zinc-900 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-500 data-[state=active]:border-brand-600 dark:data-[state=active]:border-blue-400 data-[state=active]:text-brand-700 dark:text-zinc-400 dark:hover:text-zinc-100 dark:data-[state=active]:text-blue-300"
            >
              {tab.label}
            </Tabs.Trigger>
          ))}
        </Tabs.List>

        <Tabs.Content value="claude-desktop" className="space-y-4 pt-4">
          <h3 className="font-semibold">As a connector</h3>
          {unreachable("Claude")}
          <Steps>
            <li>
              In Claude Desktop (or on claude.ai), open <strong>Settings → Connectors</strong>.
            </li>
            <li>
              Choose <strong>Add custom connector</strong>, name it <strong>Toolgate</strong>, and paste the
              URL:
              <div className="mt-2">
                <CodeBlock copyable={copyable} code={target} />
              </div>
            </li>
            <li>
              Choose <strong>Add</strong>. Then turn the connector on in a chat from the tools menu.
            </li>
          </Steps>
          <Hint>{publicNote("Claude")} If it is not, use the configuration file below instead.</Hint>
          <h3 className="font-semibold">In the configuration file</h3>
          <Steps>
            <li>
              Open <strong>Settings → Developer → Edit Config</strong>. It opens{" "}
              <Path>claude_desktop_config.json</Path> (on a Mac in{" "}
              <Path>~/Library/Application Support/Claude/</Path>, on Windows in <Path>%APPDATA%\Claude\</Path>
              ).
            </li>
            <li>
              Put this in it (keep any servers already listed under <Path>mcpServers</Path>):
              <div className="mt-2">
                <CodeBlock copyable={copyable} code={stdioConfig} />
              </div>
            </li>
            <li>Quit Claude Desktop completely and open it again.</li>
          </Steps>
          <Hint>This runs the mcp-remote bridge on your computer, which needs Node.js 18 or newer.</Hint>
        </Tabs.Content>

        <Tabs.Content value="claude-code" className="space-y-4 pt-4">
          <Steps>
            <li>
              In a terminal, run:
              <div className="mt-2">
                <CodeBlock copyable={copyable} code={`claude mcp add --transport http toolgate ${target}`} />
              </div>
            </li>
            <li>
              In Claude Code, type <Path>/mcp</Path> to check that <strong>toolgate</strong> is connected.
            </li>
          </Steps>
          <Hint>
            Add <Path>--scope user</Path> to use it in every project. Avoid <Path>--scope project</Path>: it
            writes the URL into <Path>.mcp.json</Path>, which is usually shared with others.
          </Hint>
        </Tabs.Content>

        <Tabs.Content value="cursor" className="space-y-4 pt-4">
          {url && (
            <div className="space-y-2">
              <InstallLink href={cursorInstallLink("toolgate", url)}>Add to Cursor</InstallLink>
              <Hint>Opens Cursor, which asks before adding the server. Or add it by hand:</Hint>
            </div>
          )}
          <Steps>
            <li>
              Open <Path>~/.cursor/mcp.json</Path> (create it if it does not exist) and put this in it:
              <div className="mt-2">
                <CodeBlock copyable={copyable} code={json({ mcpServers: { toolgate: { url: target } } })} />
              </div>
            </li>
            <li>
              Save, then check in Cursor&apos;s settings under <strong>MCP</strong> that{" "}
              <strong>toolgate</strong> is on.
            </li>
          </Steps>
          <Hint>
            A project&apos;s <Path>.cursor/mcp.json</Path> works too; keep the URL out of version control.
          </Hint>
        </Tabs.Content>

        <Tabs.Content value="vscode" className="space-y-4 pt-4">
          {url && (
            <div className="space-y-2">
              <InstallLink href={vscodeInstallLink("toolgate", url)}>Add to VS Code</InstallLink>
              <Hint>
                Opens VS Code, which asks before adding the server to your user settings. Or add it by hand:
              </Hint>
            </div>
          )}
          <Steps>
            <li>
              In your workspace, create <Path>.vscode/mcp.json</Path> with:
              <div className="mt-2">
                <CodeBlock
                  copyable={copyable}
                  code={json({ servers: { toolgate: { type: "http", url: target } } })}
                />
              </div>
            </li>
            <li>
              Open Copilot Chat in <strong>Agent</strong> mode; the tools appear under the tools button.
            </li>
          </Steps>
          <Hint>
            For every workspace, run <strong>MCP: Open User Configuration</strong> from the Command Palette
            and add the same entry there. Keep <Path>.vscode/mcp.json</Path> out of version control.
          </Hint>
        </Tabs.Content>

        <Tabs.Content value="chatgpt" className="space-y-4 pt-4">
          {unreachable("ChatGPT")}
          <Steps>
            <li>
              In ChatGPT on the web, open <strong>Settings → Connectors</strong> (called{" "}
              <strong>Apps &amp; Connectors</strong> on some plans), then <strong>Advanced</strong>, and turn
              on <strong>Developer mode</strong>.
            </li>
            <li>
              Back in Connectors, choose <strong>Create</strong> (or <strong>Add MCP server</strong>), name it{" "}
              <strong>Toolgate</strong>, choose <strong>No authentication</strong>, and paste the URL:
              <div className="mt-2">
                <CodeBlock copyable={copyable} code={target} />
              </div>
            </li>
            <li>
              In a new chat, choose <strong>+ → Developer mode</strong> and turn on Toolgate.
            </li>
          </Steps>
          <Hint>
            {publicNote("ChatGPT")} Developer mode is offered on some plans only; the URL itself is the key,
            so no sign-in is needed.
          </Hint>
        </Tabs.Content>

        <Tabs.Content value="other" className="space-y-4 pt-4">
          <p className="text-sm">
            Apps that accept a URL for a &quot;Streamable HTTP&quot; MCP server can use it directly. Apps that
            can only start a local program (stdio) can use the mcp-remote bridge (needs Node.js 18 or newer):
          </p>
          <CodeBlock copyable={copyable} code={`npx ${remoteArgs.join(" ")}`} />
          <p className="text-sm">Most such apps take it in this form:</p>
          <CodeBlock copyable={copyable} code={stdioConfig} />
        </Tabs.Content>

        <Tabs.Content value="oauth" className="space-y-4 pt-4">
          {unreachable("An app like Claude or ChatGPT")}
          <p className="text-sm">
            Paste this URL into Claude, ChatGPT or another app that supports sign-in; it will ask you to sign
            in and choose this server.
          </p>
          <CodeBlock code={oauthUrl} />
          <Hint>
            The URL holds no secret: the app gets its own access when you sign in, listed under{" "}
            <strong>Connected apps</strong> on this page and in Settings, where you can revoke it.
          </Hint>
        </Tabs.Content>
      </Tabs.Root>
    </div>
  );
}
