// The demo account: a user and an MCP server whose tools are built-in actions that need no
// third-party account. Idempotent: the password and the endpoint secret are derived from
// AUTH_SECRET and the email, so running it again prints the same sign-in and URL.
import { createHmac } from "node:crypto";
import { requireEnv } from "@/env";
import { getDb } from "@/lib/db/client";
import { buildMcpUrl, hashServerSecret, serverSecretPrefix } from "@/lib/servers/server-secrets";
import type { AddToolInput } from "@/lib/tools/manage-tools";
import { addTool, addToolSchema } from "@/lib/tools/manage-tools";
import { createUser } from "@/lib/users/create-user";

export const defaultDemoEmail = "demo@toolgate.local";
const demoServerName = "Demo tools";

const demoTools: AddToolInput[] = [
  { integration: "formatter", action: "transform_text" },
  {
    integration: "formatter",
    action: "transform_text",
    name: "make_slug",
    description: "Turn a title into a URL slug.",
    fields: { operation: { mode: "fixed", value: "slugify" } },
  },
  { integration: "formatter", action: "count_text" },
  { integration: "formatter", action: "calculate" },
  { integration: "formatter", action: "format_date" },
  { integration: "formatter", action: "add_to_date" },
  { integration: "formatter", action: "extract_json" },
  { integration: "delay", action: "wait" },
];

function derive(purpose: string, email: string): string {
  return createHmac("sha256", requireEnv("AUTH_SECRET")).update(`${purpose}:${email}`).digest("base64url");
}

export async function seedDemo(email = defaultDemoEmail) {
  const db = getDb();
  const normalized = email.trim().toLowerCase();
  const password = derive("demo-password", normalized).slice(0, 20);
  const secret = `${serverSecretPrefix}${derive("demo-server", normalized)}`;

  const existing = await db.user.findUnique({
    where: { email: normalized },
    select: { id: true, isDemo: true },
  });
  if (existing && !existing.isDemo)
    throw new Error(`${normalized} belongs to a real account; choose another --email for the demo.`);
  const user =
    existing ??
    (await createUser(
      { email: normalized, password, name: "Demo", demo: true, createdBy: "operator" },
      { ip: "seed:demo" },
    ));

  let server = await db.mcpServer.findFirst({
    where: { userId: user.id, name: demoServerName },
    select: { id: true, secretHash: true },
  });
  if (!server) {
    server = await db.mcpServer.create({
      data: { userId: user.id, name: demoServerName, secretHash: hashServerSecret(secret) },
      select: { id: true, secretHash: true },
    });
  } else if (server.secretHash !== hashServerSecret(secret)) {
    // AUTH_SECRET changed since the last seed: re-key the server to the derivable secret.
    await db.mcpServer.update({
      where: { id: server.id },
      data: { secretHash: hashServerSecret(secret), rotatedAt: new Date() },
    });
  }
  const toolCount = await db.tool.count({ where: { serverId: server.id } });
  if (toolCount === 0) {
    for (const tool of demoTools)
      await addTool(user.id, server.id, addToolSchema.parse(tool), { ip: "seed:demo" });
  }
  return { email: normalized, password, mcpUrl: buildMcpUrl(secret), serverId: server.id, userId: user.id };
}
