// Stands in front of an upstream MCP server and, when told, changes what its tools/list says about
// one tool, as an upgrade of the upstream (or a "rug pull") would, without touching the upstream.
// Requests and answers pass through unchanged otherwise, JSON and SSE alike, on loopback only.
import { createServer, request as httpRequest, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type UpgradeProxy = {
  url: string;
  /** From now on tools/list describes `tool` with `description` (undefined: as the upstream does). */
  describe: (tool: string, description: string | undefined) => void;
  stop: () => Promise<void>;
};

type JsonRpcMessage = { result?: { tools?: { name: string; description?: string }[] } };

function rewriteMessage(text: string, overrides: ReadonlyMap<string, string>): string {
  let message: JsonRpcMessage;
  try {
    message = JSON.parse(text) as JsonRpcMessage;
  } catch {
    return text;
  }
  const tools = message.result?.tools;
  if (!Array.isArray(tools)) return text;
  for (const tool of tools) {
    const description = overrides.get(tool.name);
    if (description !== undefined) tool.description = description;
  }
  return JSON.stringify(message);
}

/** One SSE event's lines, its data lines rewritten. */
function rewriteEvent(event: string, overrides: ReadonlyMap<string, string>): string {
  return event
    .split("\n")
    .map((line) => (line.startsWith("data: ") ? `data: ${rewriteMessage(line.slice(6), overrides)}` : line))
    .join("\n");
}

function pipeEvents(
  from: IncomingMessage,
  write: (chunk: string) => void,
  end: () => void,
  overrides: ReadonlyMap<string, string>,
) {
  let pending = "";
  from.setEncoding("utf8");
  from.on("data", (chunk: string) => {
    pending += chunk;
    for (let boundary = pending.indexOf("\n\n"); boundary !== -1; boundary = pending.indexOf("\n\n")) {
      write(`${rewriteEvent(pending.slice(0, boundary), overrides)}\n\n`);
      pending = pending.slice(boundary + 2);
    }
  });
  from.on("end", () => {
    if (pending) write(rewriteEvent(pending, overrides));
    end();
  });
}

export async function startUpgradeProxy(upstreamUrl: string): Promise<UpgradeProxy> {
  const upstream = new URL(upstreamUrl);
  const overrides = new Map<string, string>();
  const server: Server = createServer((incoming, outgoing) => {
    const headers = { ...incoming.headers, host: upstream.host };
    delete headers["content-length"];
    delete headers["accept-encoding"];
    const body: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => body.push(chunk));
    incoming.on("end", () => {
      const forwarded = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          path: incoming.url,
          method: incoming.method,
          headers,
        },
        (answer) => {
          const type = String(answer.headers["content-type"] ?? "");
          const answerHeaders = { ...answer.headers };
          delete answerHeaders["content-length"];
          outgoing.writeHead(answer.statusCode ?? 502, answerHeaders);
          if (type.includes("text/event-stream")) {
            pipeEvents(
              answer,
              (chunk) => outgoing.write(chunk),
              () => outgoing.end(),
              overrides,
            );
            return;
          }
          const parts: Buffer[] = [];
          answer.on("data", (chunk: Buffer) => parts.push(chunk));
          answer.on("end", () => {
            const text = Buffer.concat(parts).toString("utf8");
            outgoing.end(type.includes("application/json") ? rewriteMessage(text, overrides) : text);
          });
        },
      );
      forwarded.on("error", () => outgoing.destroy());
      // The client went away (a GET stream closed): so does the upstream's side.
      outgoing.on("close", () => {
        if (!outgoing.writableFinished) forwarded.destroy();
      });
      forwarded.end(Buffer.concat(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${upstream.pathname}`,
    describe: (tool, description) => {
      if (description === undefined) overrides.delete(tool);
      else overrides.set(tool, description);
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
