import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  CallToolRequestSchema,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { hostMcpSessions } from "./mcp-session-host";

export type CatalogUpstream = {
  url: string;
  /** Requests seen: method and whether they carried a session. */
  requests: { method: string; session: boolean }[];
  /** Sessions whose GET stream is open now. */
  openStreams: () => number;
  /** Changes the "echo" tool's description and tells every session its tool list changed. */
  changeEchoDescription: (description: string) => Promise<void>;
  stop: () => Promise<void>;
};

export const sharedPromptName = "simple-prompt";
export const sharedResourceUri = "file:///README.md";

export async function startCatalogUpstream(label: string): Promise<CatalogUpstream> {
  const state = { echoDescription: "Says back what it is given." };
  const requests: CatalogUpstream["requests"] = [];

  const createServer = () => {
    const server = new Server(
      { name: `catalog-${label}`, version: "1.0.0" },
      { capabilities: { tools: { listChanged: true }, prompts: {}, resources: {} } },
    );
    server.setRequestHandler(ListToolsRequestSchema, () => ({
      tools: [
        {
          name: "echo",
          description: state.echoDescription,
          inputSchema: { type: "object", properties: { message: { type: "string" } }, required: ["message"] },
        },
      ],
    }));
    server.setRequestHandler(CallToolRequestSchema, (request) => ({
      content: [{ type: "text", text: `${label}: ${String(request.params.arguments?.message)}` }],
    }));
    server.setRequestHandler(ListPromptsRequestSchema, () => ({
      prompts: [{ name: sharedPromptName, description: `A greeting from ${label}.` }],
    }));
    server.setRequestHandler(GetPromptRequestSchema, (request) => {
      if (request.params.name !== sharedPromptName) throw new Error(`Unknown prompt ${request.params.name}`);
      return { messages: [{ role: "user", content: { type: "text", text: `Hello from ${label}` } }] };
    });
    // Three resources, two to a page.
    server.setRequestHandler(ListResourcesRequestSchema, (request) => {
      const resources = [
        { uri: sharedResourceUri, name: "README", mimeType: "text/markdown" },
        { uri: "file:///notes/1.txt", name: "Note 1", mimeType: "text/plain" },
        { uri: "file:///notes/2.txt", name: "Note 2", mimeType: "text/plain" },
      ];
      const start = request.params?.cursor === "page-2" ? 2 : 0;
      return { resources: resources.slice(start, start + 2), ...(start === 0 && { nextCursor: "page-2" }) };
    });
    server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({ resourceTemplates: [] }));
    server.setRequestHandler(ReadResourceRequestSchema, (request) => {
      if (request.params.uri !== sharedResourceUri) throw new Error(`No resource ${request.params.uri}`);
      return { contents: [{ uri: sharedResourceUri, mimeType: "text/markdown", text: `# ${label} readme` }] };
    });
    return server;
  };

  const host = await hostMcpSessions(createServer, (request, sessionId) => {
    requests.push({ method: request.method ?? "", session: sessionId !== undefined });
  });
  return {
    url: host.url,
    requests,
    openStreams: host.openStreams,
    changeEchoDescription: async (description) => {
      state.echoDescription = description;
      await host.toEverySession((server) => server.sendToolListChanged());
    },
    stop: host.stop,
  };
}
