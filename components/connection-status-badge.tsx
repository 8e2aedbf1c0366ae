// A connection's status badge, the same wherever a connection is shown (Connections, a server's
// tools), so the pages never disagree about whether an account works.
import { Badge } from "@/components/kit/badge";
import { type ConnectionStatus, describeConnectionStatus } from "@/lib/connections/status-words";

export function ConnectionStatusBadge({ status, appName }: { status: ConnectionStatus; appName: string }) {
  const { label, tone } = describeConnectionStatus(status, appName);
  return <Badge tone={tone}>{label}</Badge>;
}
