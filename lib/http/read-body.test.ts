import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readIncomingText, readRequestText } from "./read-body";

const chunkBytes = 16 * 1024;

/** A request body of `totalBytes` made on demand, counting what the reader pulled. */
function countedBody(totalBytes: number): { body: ReadableStream<Uint8Array>; pulled: () => number } {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= totalBytes) return controller.close();
      pulled += chunkBytes;
      controller.enqueue(new Uint8Array(chunkBytes).fill(0x61));
    },
  });
  return { body, pulled: () => pulled };
}

function post(body: ReadableStream<Uint8Array> | string, headers: Record<string, string> = {}): Request {
  return new Request("http://localhost/mcp", {
    method: "POST",
    body,
    headers,
    duplex: "half",
  } as RequestInit);
}

describe("readRequestText", () => {
  it("reads a body within the limit, as Request.text() would decode it", async () => {
    expect(await readRequestText(post('\ufeff{"ok":"é"}'), 1_000)).toBe('{"ok":"é"}');
    expect(await readRequestText(new Request("http://localhost/mcp", { method: "POST" }), 1_000)).toBe("");
  });

  it("stops reading at the limit rather than taking the whole body", async () => {
    const { body, pulled } = countedBody(50 * 1024 * 1024);
    expect(await readRequestText(post(body), 64 * 1024)).toBeNull();
    expect(pulled()).toBeLessThanOrEqual(64 * 1024 + 2 * chunkBytes);
  });

  it("refuses a declared Content-Length over the limit without reading", async () => {
    const { body, pulled } = countedBody(50 * 1024 * 1024);
    expect(
      await readRequestText(post(body, { "content-length": String(50 * 1024 * 1024) }), 64 * 1024),
    ).toBeNull();
    expect(pulled()).toBeLessThanOrEqual(chunkBytes);
  });
});

describe("readIncomingText", () => {
  let server: http.Server;
  let port: number;
  const limit = 64 * 1024;

  beforeAll(async () => {
    server = http.createServer(async (request, response) => {
      const text = await readIncomingText(request, limit);
      if (text === null) response.writeHead(413).end("too large");
      else response.writeHead(200).end(`read ${Buffer.byteLength(text)}`);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const clientPorts: number[] = [];

  function send(agent: http.Agent, bytes: number, framing: "length" | "chunked"): Promise<string> {
    return new Promise((resolve, reject) => {
      const headers =
        framing === "length" ? { "content-length": String(bytes) } : { "transfer-encoding": "chunked" };
      const request = http.request({ port, method: "POST", agent, headers }, (response) => {
        clientPorts.push(response.socket.localPort ?? 0);
        let text = "";
        response.on("data", (chunk) => {
          text += chunk;
        });
        response.on("end", () => resolve(`${response.statusCode} ${text}`));
      });
      request.on("error", reject);
      const chunk = Buffer.alloc(chunkBytes, 0x61);
      let sent = 0;
      const pump = () => {
        while (sent < bytes) {
          const part = chunk.subarray(0, Math.min(chunkBytes, bytes - sent));
          sent += part.length;
          if (!request.write(part)) return void request.once("drain", pump);
        }
        request.end();
      };
      pump();
    });
  }

  it("answers a larger body with the refusal, and the connection carries the next request", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (const framing of ["length", "chunked"] as const) {
        expect(await send(agent, 3 * 1024 * 1024, framing), framing).toBe("413 too large");
        expect(await send(agent, 1_000, framing), framing).toBe("200 read 1000");
      }
      // One connection throughout: the refusal did not cost the client its connection.
      expect(new Set(clientPorts).size).toBe(1);
    } finally {
      agent.destroy();
    }
  });
});
