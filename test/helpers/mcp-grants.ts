// A grant as the consent page leaves it, made directly in the database: a registered AI app, the
// person's consent for one server, and a pair of tokens issued under it by the authorization
// server's own issueTokens.
import { randomBytes, randomUUID } from "node:crypto";
import { issueTokens } from "@/lib/authorization-server/tokens";
import { getDb } from "@/lib/db/client";

export type SeededGrant = { grantId: string; clientId: string; accessToken: string; refreshToken: string };

export async function seedGrant(input: {
  userId: string;
  serverId: string;
  resource: string;
  appName?: string;
  redirectUri?: string;
}): Promise<SeededGrant> {
  const db = getDb();
  const client = await db.mcpClient.create({
    data: {
      clientId: randomBytes(16).toString("hex"),
      kind: "registration",
      name: input.appName ?? "Test AI app",
      redirectUris: [input.redirectUri ?? "https://app.example.com/oauth/callback"],
    },
  });
  const grant = await db.mcpGrant.create({
    data: { clientId: client.id, userId: input.userId, serverId: input.serverId },
    select: { id: true, scope: true },
  });
  const tokens = await db.$transaction((tx) => issueTokens(tx, grant, randomUUID(), input.resource));
  return {
    grantId: grant.id,
    clientId: client.clientId,
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
  };
}
