// Upstream MCP servers as apps (being built).
import type { AppDriver } from "../app-driver";

export const mcpDriver: AppDriver = {
  prepare: async () => {
    throw new Error("Upstream MCP servers are not supported yet.");
  },
  connect: () => ({ auth: { type: "none" } }),
  discover: async () => {
    throw new Error("Upstream MCP servers are not supported yet.");
  },
  run: async () => {
    throw new Error("Upstream MCP servers are not supported yet.");
  },
};
