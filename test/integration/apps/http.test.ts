// The HTTP request app through the real worker path against a local server. The SSRF guard
// refuses loopback, so the platform here allows exactly 127.0.0.1/32 (HTTP_ALLOWED_PRIVATE_CIDRS)
// and every other private spelling must still be refused, redirects included.
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../emulators/emulator";
import { startHttpEmulator } from "../../emulators/http";
import { type AppHarness, startAppHarness } from "../../helpers/app-harness";

let emulator: Emulator;
let harness: AppHarness;
let port: string;

beforeAll(async () => {
  emulator = await startHttpEmulator();
  port = new URL(emulator.url).port;
  harness = await startAppHarness({
    HTTP_ALLOWED_PRIVATE_CIDRS: "127.0.0.1/32",
    // Its own queue: another file's worker (without this file's settings) must not take its calls.
  });
}, 120_000);

afterAll(async () => {
  await harness?.stop();
  await emulator?.stop();
});

type Answer = {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  bytes: number;
  truncated: boolean;
};

describe("HTTP request", () => {
  it("sends a GET with query parameters and headers, and returns status, headers and parsed JSON", async () => {
    const result = await harness.call("http", "request", {
      url: `${emulator.url}/anything/items?sort=asc`,
      query: { page: 2, tag: "a b" },
      headers: { "X-Api-Key": "k-123", Accept: "application/json" },
    });
    expect(result.isError, result.text).toBe(false);
    const request = emulator.requestsTo("GET /anything/*").at(-1);
    expect(request?.headers["x-api-key"]).toBe("k-123");
    expect(Object.fromEntries(request?.query ?? [])).toEqual({ sort: "asc", page: "2", tag: "a b" });
    const answer = result.output as Answer;
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      method: "GET",
      path: "/anything/items",
      query: { sort: "asc", page: "2", tag: "a b" },
      contentType: null,
      body: "",
    });
    expect(answer.headers["x-echo"]).toBe("yes");
    expect(answer.headers).not.toHaveProperty("set-cookie");
    expect(answer.truncated).toBe(false);
  });

  it("sends JSON, form and raw bodies with their content types", async () => {
    const json = await harness.call("http", "request", {
      method: "POST",
      url: `${emulator.url}/anything/json`,
      json: { name: "Ada", tags: ["x"], n: 1 },
    });
    expect(json.isError, json.text).toBe(false);
    const echoed = (json.output as Answer).body as { method: string; contentType: string; body: string };
    expect(echoed).toMatchObject({ method: "POST", contentType: "application/json" });
    // The call's arguments pass through PostgreSQL (jsonb), which may reorder keys: compare values.
    expect(JSON.parse(echoed.body)).toEqual({ name: "Ada", tags: ["x"], n: 1 });

    const form = await harness.call("http", "request", {
      method: "PUT",
      url: `${emulator.url}/anything/form`,
      form: { a: "1 2", b: true },
    });
    expect((form.output as Answer).body).toMatchObject({
      method: "PUT",
      contentType: "application/x-www-form-urlencoded",
      body: "a=1+2&b=true",
    });

    const raw = await harness.call("http", "request", {
      method: "PATCH",
      url: `${emulator.url}/anything/raw`,
      body: "a,b\n1,2",
      content_type: "text/csv",
    });
    expect((raw.output as Answer).body).toMatchObject({
      method: "PATCH",
      contentType: "text/csv",
      body: "a,b\n1,2",
    });
  });

  it("returns a 404 or a 500 as an answer, not an error, and does not repeat the request", async () => {
    const notFound = await harness.call("http", "request", {
      method: "DELETE",
      url: `${emulator.url}/status/404`,
    });
    expect(notFound.isError, notFound.text).toBe(false);
    expect(notFound.output).toMatchObject({ status: 404, body: { message: "answered with 404" } });

    const before = emulator.requestsTo("POST /status/:code").length;
    const failed = await harness.call("http", "request", {
      method: "POST",
      url: `${emulator.url}/status/503`,
      json: {},
    });
    expect(failed.output).toMatchObject({ status: 503, body: { message: "answered with 503" } });
    expect(emulator.requestsTo("POST /status/:code").length).toBe(before + 1);
  });

  it("returns HTML as text, leaves binary out, cuts long bodies, and answers HEAD with no body", async () => {
    const html = await harness.call("http", "request", { url: `${emulator.url}/html` });
    expect(html.output).toMatchObject({ status: 200, body: "<h1>Hello</h1>", truncated: false });

    const binary = await harness.call("http", "request", { url: `${emulator.url}/bytes` });
    expect(binary.output).toMatchObject({
      status: 200,
      body: null,
      truncated: true,
      content_type: "image/png",
    });

    const large = await harness.call("http", "request", {
      url: `${emulator.url}/large`,
      max_response_chars: 1_000,
    });
    const answer = large.output as Answer;
    expect(answer.truncated).toBe(true);
    expect((answer.body as string).length).toBe(1_000);
    expect(answer.bytes).toBeGreaterThan(100_000);

    const head = await harness.call("http", "request", {
      method: "HEAD",
      url: `${emulator.url}/anything/head`,
    });
    expect(head.output).toMatchObject({ status: 200, body: null, bytes: 0 });
    expect(emulator.requestsTo("HEAD /anything/*")).toHaveLength(1);
  });

  it("follows a redirect to an allowed address", async () => {
    const result = await harness.call("http", "request", {
      url: `${emulator.url}/redirect?to=${encodeURIComponent("/anything/landed")}`,
    });
    expect(result.output).toMatchObject({ status: 200, body: { path: "/anything/landed" } });
  });

  it.each([
    ["cloud metadata", "http://169.254.169.254/latest/meta-data/", "169.254.169.254"],
    ["another loopback address in hex", () => `http://0x7f000002:${port}/anything`, "127.0.0.2"],
    ["IPv6 loopback", () => `http://[::1]:${port}/anything`, "[::1]"],
    [
      "IPv4-mapped IPv6 of another loopback address",
      () => `http://[::ffff:127.0.0.2]:${port}/anything`,
      "[::ffff:7f00:2]",
    ],
  ])("refuses %s even with 127.0.0.1 allowed", async (_name, url, host) => {
    const requests = emulator.requests.length;
    const result = await harness.call("http", "request", { url: typeof url === "function" ? url() : url });
    expect(result.isError).toBe(true);
    expect(result.text).toBe(
      `Requests to ${host} are not allowed: it is a private, loopback, link-local or reserved address.`,
    );
    expect(emulator.requests.length).toBe(requests);
  });

  it.each([
    ["IPv6 loopback", () => `http://[::1]:${port}/anything/secret`, "[::1]"],
    ["cloud metadata", () => "http://169.254.169.254/latest/meta-data/iam/", "169.254.169.254"],
  ])("refuses a redirect to %s", async (_name, target, host) => {
    const result = await harness.call("http", "request", {
      url: `${emulator.url}/redirect?to=${encodeURIComponent(target())}`,
    });
    expect(result.isError).toBe(true);
    expect(result.text).toBe(
      `Requests to ${host} are not allowed: it is a private, loopback, link-local or reserved address.`,
    );
    expect(
      emulator.requestsTo("GET /anything/*").some((request) => request.path === "/anything/secret"),
    ).toBe(false);
  });

  it("names the server when nothing answers there", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port: freePort } = closed.address() as { port: number };
    await new Promise((resolve) => closed.close(resolve));
    const result = await harness.call("http", "request", { url: `http://127.0.0.1:${freePort}/` });
    expect(result.isError).toBe(true);
    expect(result.text).toBe(
      `Could not reach 127.0.0.1:${freePort}: no connection (unknown host, refused or reset).`,
    );
  });

  it("refuses bodies on GET, two bodies, client-set headers and non-http URLs before sending anything", async () => {
    const requests = emulator.requests.length;
    const getBody = await harness.call("http", "request", {
      url: `${emulator.url}/anything`,
      json: { a: 1 },
    });
    expect(getBody.text).toMatch(/A GET request cannot have a body/);
    const twoBodies = await harness.call("http", "request", {
      method: "POST",
      url: `${emulator.url}/anything`,
      json: {},
      body: "x",
    });
    expect(twoBodies.text).toMatch(/Give one body/);
    const host = await harness.call("http", "request", {
      url: `${emulator.url}/anything`,
      headers: { Host: "internal" },
    });
    expect(host.text).toMatch(/The Host header is set by the client/);
    const ftp = await harness.call("http", "request", { url: "ftp://example.com/file" });
    expect(ftp.isError).toBe(true);
    expect(ftp.text).toMatch(/url/);
    expect(emulator.requests.length).toBe(requests);
  });
});
