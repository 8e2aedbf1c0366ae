// The driver of each kind of added app.
import type { AppDriver, AppKindName } from "./app-driver";
import { mcpKindDriver } from "./mcp/stdio-driver";
import { openApiDriver } from "./openapi/openapi-driver";

const drivers: Record<AppKindName, AppDriver> = { MCP: mcpKindDriver, OPENAPI: openApiDriver };

export function driverOf(kind: AppKindName): AppDriver {
  return drivers[kind];
}
