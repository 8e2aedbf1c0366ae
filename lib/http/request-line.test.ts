import { describe, expect, it } from "vitest";
import { describeRefusal, refuseRequestLine, servedMethods } from "./request-line";

describe("refuseRequestLine", () => {
  it("routes the methods the platform serves, on well-formed paths", () => {
    for (const method of servedMethods) expect(refuseRequestLine(method, "/mcp/abc?x=1"), method).toBeNull();
    expect(refuseRequestLine("GET", "/servers/%E2%9C%93")).toBeNull();
    expect(refuseRequestLine("GET", "http://127.0.0.1:3000/signin")).toBeNull();
  });

  it("refuses any other method with 405 and the methods it serves", () => {
    for (const method of ["TRACE", "TRACK", "CONNECT", "PROPFIND", "QUERY"]) {
      const refusal = refuseRequestLine(method, "/");
      expect(refusal, method).toMatchObject({ status: 405, code: "method_not_allowed" });
      expect(refusal?.headers.Allow).toBe("GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
      expect(refusal?.message).toContain(method);
    }
  });

  it("refuses a path whose percent-encoding is malformed or not UTF-8 with 400", () => {
    for (const path of [
      "/mcp/%zz",
      "/api/v1/servers/%E0%A4%A",
      "/a%",
      "/%C0%AF",
      "/%ED%A0%80/sse",
      "/x%FF",
    ]) {
      const refusal = refuseRequestLine("GET", path);
      expect(refusal, path).toMatchObject({ status: 400, code: "bad_request" });
      expect(refusal?.message).toMatch(/%-escape/);
    }
  });

  it("leaves the query to the route: only the path must decode", () => {
    expect(refuseRequestLine("GET", "/api/v1/calls?before=%zz")).toBeNull();
  });

  it("refuses a target that is not a path (asterisk or authority form) with 400", () => {
    for (const target of ["*", "127.0.0.1:443", "", "evil.example/x"])
      expect(refuseRequestLine("GET", target), target).toMatchObject({ status: 400 });
  });
});

describe("describeRefusal", () => {
  const refusal = refuseRequestLine("TRACE", "/")!;

  it("answers JSON-RPC under /mcp, the API's error shape under /api, text elsewhere", () => {
    const mcp = describeRefusal(refusal, "/mcp/secret/sse");
    expect(JSON.parse(mcp.body)).toEqual({
      jsonrpc: "2.0",
      error: { code: -32600, message: refusal.message },
      id: null,
    });
    const api = describeRefusal(refusal, "/api/v1/servers?x=1");
    expect(JSON.parse(api.body)).toEqual({ error: { code: "method_not_allowed", message: refusal.message } });
    expect(describeRefusal(refusal, "/signin")).toEqual({
      contentType: "text/plain; charset=utf-8",
      body: `${refusal.message}\n`,
    });
  });
});
