import { describe, expect, it } from "vitest";
import {
  cursorInstallLink,
  isLoopbackAddress,
  needsAllowHttp,
  setupAppForServerName,
  vscodeInstallLink,
} from "./setup-links";

describe("the set-up tab a server's name opens", () => {
  it.each([
    ["Claude Desktop", "claude-desktop"],
    ["my claude", "claude-desktop"],
    ["Claude Code", "claude-code"],
    ["claude-code at work", "claude-code"],
    ["Cursor", "cursor"],
    ["VS Code", "vscode"],
    ["vscode", "vscode"],
    ["Copilot agent", "vscode"],
    ["ChatGPT", "chatgpt"],
    ["Research agent", "claude-desktop"],
    [undefined, "claude-desktop"],
  ])("%s opens %s", (name, app) => {
    expect(setupAppForServerName(name)).toBe(app);
  });
});

describe("install links", () => {
  const url = "https://tools.example.com/mcp/tgs_secret+/=";

  it("give Cursor the mcp.json entry as base64 JSON", () => {
    const link = new URL(cursorInstallLink("Toolgate", url));
    expect(link.protocol).toBe("cursor:");
    expect(link.searchParams.get("name")).toBe("Toolgate");
    expect(JSON.parse(atob(link.searchParams.get("config") ?? ""))).toEqual({ url });
  });

  it("give VS Code a named http server as URL-encoded JSON", () => {
    const link = vscodeInstallLink("Toolgate", url);
    expect(link.startsWith("vscode:mcp/install?")).toBe(true);
    expect(JSON.parse(decodeURIComponent(link.slice("vscode:mcp/install?".length)))).toEqual({
      name: "Toolgate",
      type: "http",
      url,
    });
  });
});

describe("the platform's address", () => {
  it.each([
    ["http://localhost:3000", true, false],
    ["http://127.0.0.1:3000", true, false],
    ["http://127.1.2.3", true, false],
    ["http://[::1]:3000", true, false],
    ["http://tools.internal:3000", false, true],
    ["https://tools.example.com", false, false],
  ])("%s: loopback %s, mcp-remote needs --allow-http %s", (appUrl, loopback, allowHttp) => {
    expect(isLoopbackAddress(appUrl)).toBe(loopback);
    expect(needsAllowHttp(appUrl)).toBe(allowHttp);
  });
});
