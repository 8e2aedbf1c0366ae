// The person's decision on an authorization request: which of their servers the app may use (one
// they have, or one made there and then), or no. Allowing makes a grant to that server, the
// person's own access to it: their tools and their quota, as their secret URL would give. The
// consent form carries a token bound to the request and the person, so a decision can only come
// from the page that was shown to them.
import { createHmac, timingSafeEqual } from "node:crypto";
import { requireEnv } from "@/env";
import { type AuditContext, recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { personalWorkspace } from "@/lib/orgs/workspace";
import { createServer, serverNameSchema } from "@/lib/servers/manage-servers";
import { answerLocation, findPendingRequest, takePendingRequest } from "./authorization-request";
import { findClient } from "./clients";
import { issueAuthorizationCode } from "./codes";

export type ServerChoice = { id: string; name: string; orgName: string | null; toolCount: number };

/** The servers a person may give an app: their own, and those of the organizations they belong to. */
export async function serverChoicesFor(userId: string): Promise<ServerChoice[]> {
  const servers = await getDb().mcpServer.findMany({
    where: {
      OR: [{ userId, orgId: null }, { org: { memberships: { some: { userId } } } }],
    },
    orderBy: [{ orgId: { sort: "asc", nulls: "first" } }, { createdAt: "asc" }],
    select: { id: true, name: true, org: { select: { name: true } }, _count: { select: { tools: true } } },
  });
  return servers.map((server) => ({
    id: server.id,
    name: server.name,
    orgName: server.org?.name ?? null,
    toolCount: server._count.tools,
  }));
}

export function consentToken(requestId: string, userId: string): string {
  return createHmac("sha256", requireEnv("AUTH_SECRET"))
    .update(`mcp-consent:${requestId}:${userId}`)
    .digest("base64url");
}

function consentTokenMatches(token: string, requestId: string, userId: string): boolean {
  const expected = Buffer.from(consentToken(requestId, userId));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export type Decision = {
  userId: string;
  requestId: string;
  consentToken: string;
  allow: boolean;
  /** A server the person may give, or undefined to make one named `newServerName`. */
  serverId?: string;
  newServerName?: string;
};

const expired = () =>
  new AppError(
    "bad_request",
    "This sign-in request expired or was already answered. Start again from the app.",
  );

/** Where the browser goes with the decision: the client's redirect URI with a code or an error. */
export async function decide(decision: Decision, context: AuditContext = {}): Promise<string> {
  const pending = await findPendingRequest(decision.requestId);
  if (!pending) throw expired();
  if (!consentTokenMatches(decision.consentToken, decision.requestId, decision.userId))
    throw new AppError("forbidden", "This decision was not made on the page shown to you. Start again.");
  if (!decision.allow) {
    if (!(await takePendingRequest(decision.requestId))) throw expired();
    return answerLocation(pending.redirectUri, {
      error: "access_denied",
      error_description: "The person declined to give access.",
      state: pending.state,
    });
  }
  const chosen = decision.serverId ? await chosenServer(decision.userId, decision.serverId) : undefined;
  const newName = chosen ? undefined : serverNameSchema.safeParse(decision.newServerName ?? "");
  if (newName && !newName.success)
    throw new AppError("bad_request", `Server name: ${newName.error.issues[0]?.message}`);
  if (!(await takePendingRequest(decision.requestId))) throw expired();

  const client = await findClient(pending.clientId);
  const server = chosen ?? {
    ...(await createServer(personalWorkspace(decision.userId), newName?.data ?? "", context)),
    orgId: null,
  };
  const grantId = await grantFor(client, decision.userId, server, context);
  const code = await issueAuthorizationCode({
    grantId,
    redirectUri: pending.redirectUri,
    codeChallenge: pending.codeChallenge,
    resource: pending.resource,
  });
  return answerLocation(pending.redirectUri, { code, state: pending.state });
}

async function chosenServer(userId: string, serverId: string) {
  const server = await getDb().mcpServer.findFirst({
    where: {
      id: serverId,
      OR: [{ userId, orgId: null }, { org: { memberships: { some: { userId } } } }],
    },
    select: { id: true, name: true, orgId: true },
  });
  if (!server) throw new AppError("not_found", "That server is not one you can give access to.");
  return server;
}

/** The person's grant of this server to this client: the one they gave before, or a new one. */
async function grantFor(
  client: { id: string; name: string; clientId: string },
  userId: string,
  server: { id: string; name: string; orgId: string | null },
  context: AuditContext,
): Promise<string> {
  const db = getDb();
  const existing = await db.mcpGrant.findFirst({
    where: { clientId: client.id, userId, serverId: server.id, revokedAt: null },
    select: { id: true },
  });
  if (existing) return existing.id;
  const grant = await db.mcpGrant.create({
    data: { clientId: client.id, userId, serverId: server.id },
    select: { id: true },
  });
  await recordAuditEvent(
    { ...context, actorId: userId, orgId: server.orgId },
    "mcp_grant.created",
    { type: "mcp_grant", id: grant.id },
    { app: client.name, clientId: client.clientId.slice(0, 200), serverId: server.id, server: server.name },
  );
  return grant.id;
}
