// Words for the audit trail's action codes, one for each code the platform records (the type keeps
// the two lists together); a code without words (an older one) is shown as it is.
import type { knownAuditActions } from "@/lib/admin/audit";

const labels: Record<(typeof knownAuditActions)[number], string> = {
  "api_token.created": "Created an API token",
  "api_token.revoked": "Revoked an API token",
  "audit.exported": "Exported the audit trail",
  "connection.created": "Connected an account",
  "connection.credentials_replaced": "Replaced an account's keys",
  "connection.deleted": "Deleted a connected account",
  "connection.reconnected": "Reconnected an account",
  "connection.renamed": "Renamed a connected account",
  "integration_client.removed": "Removed an app's OAuth client",
  "integration_client.saved": "Set up an app's OAuth client",
  "invitation.created": "Created an invitation",
  "invitation.revoked": "Revoked an invitation",
  "keys.rotated": "Re-encrypted credentials under a new key",
  "oauth.client_error": "An app refused the platform's OAuth client",
  "oauth.token_endpoint_failed": "An app could not renew access tokens",
  "plan.created": "Created a plan",
  "plan.default_changed": "Changed the default plan",
  "plan.deleted": "Deleted a plan",
  "plan.updated": "Changed a plan",
  "queue.failed.discarded": "Discarded all failed jobs",
  "queue.failed.retried": "Retried all failed jobs",
  "queue.job.discarded": "Discarded a failed job",
  "queue.job.retried": "Retried a failed job",
  "server.created": "Created a server",
  "server.deleted": "Deleted a server",
  "server.renamed": "Renamed a server",
  "server.secret_rotated": "Replaced a server's URL",
  "settings.sign_up_changed": "Changed who can sign up",
  "tool.added": "Added a tool",
  "tool.deleted": "Removed a tool",
  "tool.updated": "Changed a tool",
  "user.created": "Created an account",
  "user.deleted": "Deleted their account",
  "user.identity_linked": "Linked a sign-in provider to an account",
  "user.limits_changed": "Changed a person's limits",
  "user.password_changed": "Changed their password",
  "user.plan_changed": "Moved a person to a plan",
  "user.resumed": "Resumed a person's account",
  "user.sign_in_failed": "Failed to sign in",
  "user.signed_in": "Signed in",
  "user.suspended": "Suspended a person's account",
};

export function auditActionLabel(action: string): string | undefined {
  return Object.hasOwn(labels, action) ? labels[action as keyof typeof labels] : undefined;
}
