// For the manual conformance check through an upstream (bench/CONFORMANCE.md): starts the fixture
// upstream (bench/conformance-upstream.ts) in this process, adds it to the demo account as an MCP
// app whose clean tools are accepted, gives the account a server whose tools are the upstream's
// under the names the suite calls, and prints the server's MCP URL. It keeps running (the upstream
// lives here) until stopped. The platform must allow the loopback upstream:
// `HTTP_ALLOWED_PRIVATE_CIDRS=127.0.0.1/32` in its environment and in this script's.
// Run beside `npm start` after `npm run seed:demo`: `npx tsx bench/conformance-upstream-app.ts`.
import { randomBytes } from "node:crypto";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { acceptActions, applyDiscovery } from "@/lib/apps/app-definitions";
import { mcpDriver } from "@/lib/apps/mcp/mcp-driver";
import { getDb } from "@/lib/db/client";
import { defaultDemoEmail } from "@/lib/demo/seed-demo";
import { runCommand } from "@/lib/runtime/run-command";
import { adoptLocalInstanceSettings } from "@/lib/runtime/runtime-file";
import { createServer, deleteServer } from "@/lib/servers/manage-servers";
import { addTool, addToolSchema } from "@/lib/tools/manage-tools";
import { seal, sealOwner } from "@/lib/vault/vault";
import { startConformanceUpstream } from "./conformance-upstream";

const serverName = "Conformance fixtures (upstream)";

/**
 * Adds the MCP server at `url` as an app of `userId`, as adding an app by URL does (read, stored,
 * its definitions scanned and pinned), and accepts every action, flagged or not: the fixtures are
 * this script's own. Returns the app's slug and its action keys by upstream tool name.
 */
export async function addUpstreamApp(
  userId: string,
  name: string,
  url: string,
): Promise<{ slug: string; keys: Map<string, string> }> {
  const prepared = await mcpDriver.prepare({ name, url }, AbortSignal.timeout(20_000));
  const db = getDb();
  const app = await db.app.create({
    data: {
      slug: `mcp-${randomBytes(4).toString("hex")}`,
      kind: "MCP",
      name: prepared.name,
      description: prepared.description,
      userId,
      source: prepared.source as object,
      auth: prepared.auth as object,
    },
  });
  if (Object.keys(prepared.headers).length > 0) {
    const { ciphertext, keyVersion } = await seal(prepared.headers, {
      userId: sealOwner(app),
      appId: app.id,
    });
    await db.app.update({ where: { id: app.id }, data: { sealedHeaders: ciphertext, keyVersion } });
  }
  await applyDiscovery(app.id, prepared.actions, { acceptClean: false });
  const rows = await db.appAction.findMany({
    where: { appId: app.id },
    select: { key: true, upstreamName: true, hash: true },
  });
  await acceptActions(app.id, Object.fromEntries(rows.map((row) => [row.key, row.hash])));
  return { slug: app.slug, keys: new Map(rows.map((row) => [row.upstreamName, row.key])) };
}

/** A server of `userId` whose tools are the app's actions, each named as its upstream tool. */
export async function createServerOfApp(
  userId: string,
  slug: string,
  keys: Map<string, string>,
  name = serverName,
): Promise<{ id: string; url: string }> {
  const server = await createServer(userId, name);
  for (const [upstreamName, key] of keys)
    await addTool(
      userId,
      server.id,
      addToolSchema.parse({ integration: slug, action: key, name: upstreamName }),
    );
  return server;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { email: { type: "string" }, port: { type: "string" } } });
  await adoptLocalInstanceSettings();
  const db = getDb();
  const email = (values.email ?? defaultDemoEmail).toLowerCase();
  const user = await db.user.findUnique({ where: { email }, select: { id: true } });
  if (!user) throw new Error(`No account ${email}: run \`npm run seed:demo\` first.`);
  const upstream = await startConformanceUpstream(values.port ? Number(values.port) : 0);
  for (const old of await db.mcpServer.findMany({ where: { userId: user.id, name: serverName } }))
    await deleteServer(user.id, old.id);
  const { slug, keys } = await addUpstreamApp(user.id, "Conformance fixtures", upstream.url);
  const server = await createServerOfApp(user.id, slug, keys);
  console.log(`upstream ${upstream.url}`);
  console.log(server.url);
  // The upstream serves from this process: keep it up until stopped.
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await upstream.stop();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) runCommand(main);
