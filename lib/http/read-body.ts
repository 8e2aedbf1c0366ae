// Reads a request body up to a byte limit, chunk by chunk, and stops at the limit: a larger body
// is never held in memory, whatever its Content-Length says or omits. The front server's node:http
// requests and the route handlers' web Requests read through the same loop.
import type { IncomingMessage } from "node:http";

// As Request.text() decodes: UTF-8, malformed bytes as U+FFFD, a leading byte-order mark dropped.
const utf8 = new TextDecoder();

function declaresMoreThan(contentLength: string | null | undefined, limit: number): boolean {
  return Number(contentLength ?? "0") > limit;
}

/** The body's bytes, or null as soon as there are more than `limit`; leaving the loop stops the source. */
async function readUpTo(chunks: AsyncIterable<Uint8Array>, limit: number): Promise<Buffer | null> {
  const kept: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    size += chunk.byteLength;
    if (size > limit) return null;
    kept.push(chunk);
  }
  return Buffer.concat(kept, size);
}

async function* chunksOf(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    // Stopped early: the rest is not wanted (a no-op once the stream has ended).
    await reader.cancel().catch(() => {});
  }
}

/** A web Request's body as text (route handlers), or null when it is larger than `limit` bytes. */
export async function readRequestText(request: Request, limit: number): Promise<string | null> {
  if (declaresMoreThan(request.headers.get("content-length"), limit)) return null;
  if (!request.body) return "";
  const body = await readUpTo(chunksOf(request.body), limit);
  return body && utf8.decode(body);
}

/**
 * A node:http request's body as text (the front server), or null when it is larger than `limit`
 * bytes. The rest of a larger body is then read and dropped rather than left on the socket, so
 * that the connection stays usable and the client gets the answer.
 */
export function readIncomingText(request: IncomingMessage, limit: number): Promise<string | null> {
  if (declaresMoreThan(request.headers["content-length"], limit)) {
    request.resume();
    return Promise.resolve(null);
  }
  // Events rather than async iteration: this runs for every MCP request, and iterating a stream
  // costs a promise per chunk.
  return new Promise((resolve, reject) => {
    const kept: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) kept.push(chunk);
      else if (kept.length) kept.length = 0; // over the limit: the rest is read and dropped
    };
    request.on("data", onData);
    request.once("error", reject);
    request.once("end", () => {
      request.off("data", onData);
      resolve(size > limit ? null : utf8.decode(kept.length === 1 ? kept[0]! : Buffer.concat(kept, size)));
    });
  });
}
