// The words for a connection's status, the same on every page and in the REST API: the result of
// its last check or real use. No database access here, so client components can use it too.

export const connectionStatuses = [
  "OK",
  "UNCHECKED",
  "UNREACHABLE",
  "NOT_WORKING",
  "NEEDS_RECONNECT",
] as const;
export type ConnectionStatus = (typeof connectionStatuses)[number];

export type StatusTone = "success" | "neutral" | "danger" | "warning";

/** The badge: "Working", "Not working: can't reach GitHub", "Needs reconnecting", "Not checked yet". */
export function describeConnectionStatus(
  status: ConnectionStatus,
  appName: string,
): { label: string; tone: StatusTone } {
  switch (status) {
    case "OK":
      return { label: "Working", tone: "success" };
    case "UNCHECKED":
      return { label: "Not checked yet", tone: "neutral" };
    case "UNREACHABLE":
      return { label: `Not working: can't reach ${appName}`, tone: "danger" };
    case "NOT_WORKING":
      return { label: `Not working: ${appName} answered with an error`, tone: "danger" };
    case "NEEDS_RECONNECT":
      return { label: "Needs reconnecting", tone: "warning" };
  }
}

/** Whether a tool can use the connection as it is (it may still fail for other reasons). */
export const needsReconnecting = (status: ConnectionStatus) => status === "NEEDS_RECONNECT";

/**
 * The account a tool without a chosen one acts with: the oldest that does not need reconnecting,
 * else the oldest. A failure that is not about the account (the app unreachable) does not move a
 * tool to another account. `connections` are one app's, oldest first.
 */
export function pickDefaultConnection<T extends { status: ConnectionStatus }>(
  connections: T[],
): T | undefined {
  return connections.find((connection) => !needsReconnecting(connection.status)) ?? connections[0];
}
