// The badges beside a user: at or near a limit, suspended, administrator.
import { Badge } from "@/components/kit/badge";

export function LimitBadge({ atLimit, nearLimit }: { atLimit: boolean; nearLimit: boolean }) {
  if (atLimit)
    return (
      <span data-testid="limit-badge" data-state="at">
        <Badge tone="danger">At limit</Badge>
      </span>
    );
  if (nearLimit)
    return (
      <span data-testid="limit-badge" data-state="near">
        <Badge tone="warning">Near limit</Badge>
      </span>
    );
  return null;
}

export function SuspendedBadge() {
  return (
    <span data-testid="suspended-badge">
      <Badge tone="danger">Suspended</Badge>
    </span>
  );
}

export function AdminBadge() {
  return <Badge tone="info">Admin</Badge>;
}
