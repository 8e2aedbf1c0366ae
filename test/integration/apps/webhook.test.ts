// The Webhook app through the real worker path against a local receiver. The SSRF guard refuses
// loopback, so the platform here allows exactly 127.0.0.1/32 (HTTP_ALLOWED_PRIVATE_CIDRS); every
// other private address must still be refused, after a redirect too.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../emulators/emulator";
import { startWebhookEmulator } from "../../emulators/webhook";
import { type AppHarness, startAppHarness } from "../../helpers/app-harness";

let emulator: Emulator;
let harness: AppHarness;
let port: string;

beforeAll(async () => {
  emulator = await startWebhookEmulator();
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

describe("Webhook", () => {
  it("POSTs the payload as JSON with extra headers and returns the receiver's JSON answer", async () => {
    const result = await harness.call("webhook", "post_json", {
      url: `${emulator.url}/hooks/orders`,
      payload: { order: 42, items: [{ sku: "A-1", qty: 2 }], paid: true },
      headers: { "X-Webhook-Token": "s3cret" },
    });
    expect(result.isError, result.text).toBe(false);
    const request = emulator.requestsTo("POST /hooks/:name").at(-1);
    expect(request?.contentType).toBe("application/json");
    expect(request?.headers["x-webhook-token"]).toBe("s3cret");
    expect(request?.body).toEqual({ order: 42, items: [{ sku: "A-1", qty: 2 }], paid: true });
    expect(result.output).toEqual({
      status: 200,
      ok: true,
      body: { received: true, hook: "orders", id: "evt_1" },
    });
  });

  it("sends an array payload and returns a plain-text answer as text", async () => {
    const result = await harness.call("webhook", "post_json", {
      url: `${emulator.url}/hooks/slack`,
      payload: [{ text: "Deploy finished" }],
    });
    expect(result.output).toEqual({ status: 200, ok: true, body: "ok" });
    expect(emulator.requestsTo("POST /hooks/slack").at(-1)?.body).toEqual([{ text: "Deploy finished" }]);
  });

  it("returns a receiver's failure with ok false, sent once", async () => {
    const result = await harness.call("webhook", "post_json", {
      url: `${emulator.url}/hooks/broken`,
      payload: { a: 1 },
    });
    expect(result.isError, result.text).toBe(false);
    expect(result.output).toEqual({ status: 500, ok: false, body: "Internal Server Error" });
    expect(emulator.requestsTo("POST /hooks/broken")).toHaveLength(1);
  });

  it("follows a 307 redirect with the same POST body", async () => {
    const result = await harness.call("webhook", "post_json", {
      url: `${emulator.url}/redirect?to=${encodeURIComponent("/hooks/moved")}`,
      payload: { moved: true },
    });
    expect(result.output).toMatchObject({ status: 200, ok: true, body: { hook: "moved" } });
    expect(emulator.requestsTo("POST /hooks/:name").at(-1)?.body).toEqual({ moved: true });
  });

  it.each([
    ["cloud metadata", () => "http://169.254.169.254/latest/meta-data/", "169.254.169.254"],
    ["IPv6 loopback", () => `http://[::1]:${port}/hooks/x`, "[::1]"],
    ["another loopback address in hex", () => `http://0x7f000002:${port}/hooks/x`, "127.0.0.2"],
    [
      "a redirect to IPv6 loopback",
      () => `http://127.0.0.1:${port}/redirect?to=${encodeURIComponent(`http://[::1]:${port}/hooks/x`)}`,
      "[::1]",
    ],
  ])("refuses %s even with 127.0.0.1 allowed", async (_name, url, host) => {
    const before = emulator.requestsTo("POST /hooks/:name").length;
    const result = await harness.call("webhook", "post_json", { url: url(), payload: { a: 1 } });
    expect(result.isError).toBe(true);
    expect(result.text).toBe(
      `Requests to ${host} are not allowed: it is a private, loopback, link-local or reserved address.`,
    );
    expect(emulator.requestsTo("POST /hooks/:name").length).toBe(before);
  });

  it("refuses a payload that is not an object or an array, and client-set headers", async () => {
    const requests = emulator.requests.length;
    const scalar = await harness.call("webhook", "post_json", {
      url: `${emulator.url}/hooks/x`,
      payload: "text",
    });
    expect(scalar.isError).toBe(true);
    expect(scalar.text).toMatch(/payload/);
    const header = await harness.call("webhook", "post_json", {
      url: `${emulator.url}/hooks/x`,
      payload: {},
      headers: { "Content-Length": "1" },
    });
    expect(header.text).toMatch(/The Content-Length header is set by the client/);
    expect(emulator.requests.length).toBe(requests);
  });
});
