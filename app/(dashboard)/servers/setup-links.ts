// What the set-up steps derive from a server and the platform's address: the AI app a server is
// named after, one-click install links, and whether hosted AI apps can reach the URL at all.

export const setupApps = [
  { value: "claude-desktop", label: "Claude Desktop" },
  { value: "claude-code", label: "Claude Code" },
  { value: "cursor", label: "Cursor" },
  { value: "vscode", label: "VS Code" },
  { value: "chatgpt", label: "ChatGPT" },
  { value: "other", label: "Other apps" },
  { value: "oauth", label: "Sign in from the app (OAuth)" },
] as const;

export type SetupApp = (typeof setupApps)[number]["value"];

// Most specific first: "Claude Code" must not be taken for Claude Desktop.
const appsByName: [RegExp, SetupApp][] = [
  [/claude[\s_-]*code/i, "claude-code"],
  [/claude/i, "claude-desktop"],
  [/cursor/i, "cursor"],
  [/vs[\s_-]*code|visual studio|copilot/i, "vscode"],
  [/chat[\s_-]*gpt|openai/i, "chatgpt"],
];

/** The set-up tab to open first: the AI app the server's name mentions, else Claude Desktop. */
export function setupAppForServerName(name: string | undefined): SetupApp {
  return appsByName.find(([pattern]) => name !== undefined && pattern.test(name))?.[1] ?? "claude-desktop";
}

const loopbackHosts = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Whether the platform's address can only be reached from the machine it runs on. */
export function isLoopbackAddress(appUrl: string): boolean {
  const { hostname } = new URL(appUrl);
  return loopbackHosts.has(hostname) || hostname.startsWith("127.");
}

/** mcp-remote accepts plain HTTP only on loopback unless told otherwise. */
export function needsAllowHttp(appUrl: string): boolean {
  return new URL(appUrl).protocol === "http:" && !isLoopbackAddress(appUrl);
}

/** Cursor's install link: the server's entry of mcp.json, as base64 JSON. */
export function cursorInstallLink(name: string, url: string): string {
  const config = btoa(JSON.stringify({ url }));
  return `cursor://anysphere.cursor-deeplink/mcp/install?name=${encodeURIComponent(name)}&config=${encodeURIComponent(config)}`;
}

/** VS Code's install link: the server's entry, named, as URL-encoded JSON. */
export function vscodeInstallLink(name: string, url: string): string {
  return `vscode:mcp/install?${encodeURIComponent(JSON.stringify({ name, type: "http", url }))}`;
}
