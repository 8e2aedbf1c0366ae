// The node:http adapter's routing: which requests it serves as MCP and which it leaves to Next.js.
import { describe, expect, it } from "vitest";
import { matchMcpRequest } from "./node-http";

describe("matchMcpRequest (the node:http adapter's routing)", () => {
  it("serves /mcp and /mcp/<secret> for GET, POST and DELETE only", () => {
    expect(matchMcpRequest("POST", "/mcp")).toBe("");
    expect(matchMcpRequest("POST", "/mcp?x=1")).toBe("");
    expect(matchMcpRequest("DELETE", "/mcp/tgs_abc")).toBe("tgs_abc");
    expect(matchMcpRequest("GET", "/mcp/tgs_a%2Bb")).toBe("tgs_a+b");
    expect(matchMcpRequest("OPTIONS", "/mcp")).toBeUndefined();
    expect(matchMcpRequest("POST", "/mcp/")).toBeUndefined();
    expect(matchMcpRequest("POST", "/mcp/a/b")).toBeUndefined();
    expect(matchMcpRequest("POST", "/mcpx")).toBeUndefined();
    expect(matchMcpRequest("POST", "/mcp/%E0%A4%A")).toBeUndefined();
    expect(matchMcpRequest("GET", "/api/health")).toBeUndefined();
  });

  it("leaves the legacy HTTP+SSE bearer routes to Next.js", () => {
    expect(matchMcpRequest("GET", "/mcp/sse")).toBeUndefined();
    expect(matchMcpRequest("POST", "/mcp/messages?sessionId=abc")).toBeUndefined();
  });
});
