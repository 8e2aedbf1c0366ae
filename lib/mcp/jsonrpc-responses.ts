// JSON-RPC error responses the endpoint produces itself (before the SDK sees the request).
export function jsonRpcError(
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return Response.json({ jsonrpc: "2.0", error: { code, message }, id: null }, { status, headers });
}

export const JsonRpcCodes = {
  parseError: -32700,
  invalidRequest: -32600,
  unauthorized: -32001,
  sessionNotFound: -32001,
  unavailable: -32002,
  rateLimited: -32003,
} as const;
