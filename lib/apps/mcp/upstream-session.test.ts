// How a failure with an upstream MCP server is told: each kind of failure becomes the integration
// SDK's error class that makes the worker and the connection's status do the right thing (retry,
// wait, ask for reconnection, or fail with the message), in words that name the app.
import { SseError } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import {
  ActionError,
  AppUnreachableError,
  CredentialsRejectedError,
  RateLimitedError,
} from "@/integrations/sdk/errors";
import { BlockedAddressError, ResponseTooLargeError } from "@/lib/http/guarded-fetch";
import { describeUpstreamFailure, hideHeaderValues, UpstreamAddressRefusedError } from "./upstream-session";

const url = "https://mcp.example.com/mcp";
const describeFailure = (error: unknown, failures: unknown[] = []) =>
  describeUpstreamFailure("Example", url, error, failures);

function fetchFailed(code: string): TypeError {
  return new TypeError("fetch failed", { cause: Object.assign(new Error(code), { code }) });
}

describe("describeUpstreamFailure", () => {
  it("tells HTTP answers by status: 401 reconnect, 429 wait, 5xx unreachable, other 4xx refused", () => {
    const rejected = describeFailure(new StreamableHTTPError(401, "Error POSTing to endpoint: bad token"));
    expect(rejected).toBeInstanceOf(CredentialsRejectedError);
    expect(rejected.message).toBe(
      "Example rejected the connection's credentials (HTTP 401): bad token Reconnect the account.",
    );
    expect(describeFailure(new StreamableHTTPError(429, "slow down"))).toBeInstanceOf(RateLimitedError);
    const down = describeFailure(new SseError(503, "Non-200 status code (503)", undefined as never));
    expect(down).toBeInstanceOf(AppUnreachableError);
    expect(down.message).toBe("Example could not answer (HTTP 503): Non-200 status code (503)");
    const refused = describeFailure(new StreamableHTTPError(400, "Error POSTing to endpoint: bad request"));
    expect(refused).toBeInstanceOf(ActionError);
    expect(refused).not.toBeInstanceOf(CredentialsRejectedError);
    expect((refused as ActionError).httpStatus).toBe(400);
  });

  it("tells network failures in plain words, from the error or from what the fetch saw", () => {
    const refused = describeFailure(fetchFailed("ECONNREFUSED"));
    expect(refused).toBeInstanceOf(AppUnreachableError);
    expect(refused.message).toBe(
      "Could not reach Example: mcp.example.com refused the connection (ECONNREFUSED).",
    );
    // The SSE transport reports a failed fetch only as text; the fetch's own error says why.
    const viaSse = describeFailure(new SseError(undefined, "fetch failed", undefined as never), [
      fetchFailed("ENOTFOUND"),
    ]);
    expect(viaSse.message).toBe(
      "Could not reach Example: the name mcp.example.com was not found (ENOTFOUND).",
    );
    expect((viaSse as AppUnreachableError).reason).toBe("the name mcp.example.com was not found");
  });

  it("tells a refused address and an oversized answer apart from the upstream's own failures", () => {
    const blocked = describeFailure(new Error("x"), [new BlockedAddressError("169.254.169.254")]);
    expect(blocked).toBeInstanceOf(UpstreamAddressRefusedError);
    expect(blocked.message).toMatch(/^Example: Requests to 169\.254\.169\.254 are not allowed/);
    const wrapped = describeFailure(
      new TypeError("fetch failed", { cause: new BlockedAddressError("10.0.0.1") }),
    );
    expect(wrapped).toBeInstanceOf(UpstreamAddressRefusedError);
    expect(
      describeFailure(new ResponseTooLargeError("The response is larger than 10 bytes.")),
    ).toBeInstanceOf(ActionError);
  });

  it("tells a timeout and a closed connection as unreachable, and the upstream's MCP errors as its words", () => {
    expect(describeFailure(new McpError(ErrorCode.RequestTimeout, "Request timed out")).message).toBe(
      "Example did not answer in time.",
    );
    expect(describeFailure(new McpError(ErrorCode.ConnectionClosed, "closed"))).toBeInstanceOf(
      AppUnreachableError,
    );
    const unknownTool = describeFailure(new McpError(ErrorCode.InvalidParams, "Tool nope not found"));
    expect(unknownTool).toBeInstanceOf(ActionError);
    expect(unknownTool.message).toBe("Example: MCP error -32602: Tool nope not found");
  });

  it("keeps an error that is already the SDK's, and gives the caller's own reason when it aborted", () => {
    const own = new ActionError("The upstream refuses.");
    expect(describeFailure(own)).toBe(own);
    const controller = new AbortController();
    const reason = new Error("timeout");
    controller.abort(reason);
    expect(describeUpstreamFailure("Example", url, fetchFailed("ECONNRESET"), [], controller.signal)).toBe(
      reason,
    );
  });

  it("says an upstream that answers in ways MCP does not is not behaving as an MCP server", () => {
    expect(describeFailure(new SyntaxError("Unexpected token <")).message).toBe(
      "Example did not answer as an MCP server should: Unexpected token <",
    );
  });
});

describe("hideHeaderValues", () => {
  it("hides header values and a scheme's token in the message and the reason, and keeps short words", () => {
    const error = new AppUnreachableError(
      "Example said: Bearer tok-123456 and tok-123456 and key-abcdef, Bearer is fine, id=abc",
      "because key-abcdef",
    );
    hideHeaderValues(error, { Authorization: "Bearer tok-123456", "X-Api-Key": "key-abcdef", "X-Id": "abc" });
    expect(error.message).toBe(
      "Example said: [redacted] and [redacted] and [redacted], Bearer is fine, id=abc",
    );
    expect(error.reason).toBe("because [redacted]");
  });
});
