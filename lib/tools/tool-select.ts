// The columns of a configured tool that describe and run it, shared by the management API and the
// MCP endpoint's snapshot.
export const toolConfigSelect = {
  id: true,
  name: true,
  description: true,
  integration: true,
  action: true,
  connectionId: true,
  fields: true,
} as const;
