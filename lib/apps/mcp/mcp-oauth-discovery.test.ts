import { describe, expect, it } from "vitest";
import { canonicalServerUri } from "./mcp-oauth-discovery";

describe("canonicalServerUri", () => {
  it("keeps the path and query, drops the fragment, and lowercases scheme and host", () => {
    expect(canonicalServerUri("HTTPS://MCP.Example.com/mcp#tools")).toBe("https://mcp.example.com/mcp");
    expect(canonicalServerUri("https://mcp.example.com/server/mcp?tenant=7")).toBe(
      "https://mcp.example.com/server/mcp?tenant=7",
    );
  });

  it("gives a server at the root without a trailing slash", () => {
    expect(canonicalServerUri("https://mcp.example.com/")).toBe("https://mcp.example.com");
    expect(canonicalServerUri("https://mcp.example.com:8443")).toBe("https://mcp.example.com:8443");
  });
});
