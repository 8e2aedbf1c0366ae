// A stand-in for one web replica, as far as server snapshots and MCP sessions go: a node process
// with its own caches and invalidation feed, driven over stdin/stdout one JSON line at a time.
//   {"resolve": secret}                   → {"serverId": string | null, "cached": boolean}
//   {"rotate": {"userId", "serverId"}}    → {"url": string}
//   {"createSession": serverId}           → {"id": string}
//   {"findSession": {"id", "serverId"}}   → {"found": boolean, "cached": boolean}
//   {"deleteSession": {"id", "serverId"}} → {"deleted": true}
// It prints {"ready": true} once its feed is live.
import { createInterface } from "node:readline";
import { createSession, deleteSession, findSession, type McpSession } from "@/lib/mcp/sessions";
import { rotateServerSecret } from "@/lib/servers/manage-servers";
import type { ServerSnapshot } from "@/lib/servers/server-snapshot";
import { resolveServerBySecret, whenSnapshotFeedLive } from "@/lib/servers/snapshot-cache";

const lastResolved = new Map<string, ServerSnapshot | null>();
const lastFound = new Map<string, McpSession | null>();

type SessionRef = { id: string; serverId: string };

async function answer(line: string): Promise<unknown> {
  const command = JSON.parse(line) as {
    resolve?: string;
    rotate?: { userId: string; serverId: string };
    createSession?: string;
    findSession?: SessionRef;
    deleteSession?: SessionRef;
  };
  if (command.resolve !== undefined) {
    const snapshot = await resolveServerBySecret(command.resolve);
    // The very object of the previous resolution: it came from this process's cache.
    const cached = snapshot !== null && lastResolved.get(command.resolve) === snapshot;
    lastResolved.set(command.resolve, snapshot);
    return { serverId: snapshot?.serverId ?? null, cached };
  }
  if (command.createSession !== undefined) return { id: await createSession(command.createSession) };
  if (command.findSession) {
    const session = await findSession(command.findSession.id, command.findSession.serverId);
    const cached = session !== null && lastFound.get(command.findSession.id) === session;
    lastFound.set(command.findSession.id, session);
    return { found: session !== null, cached };
  }
  if (command.deleteSession) {
    await deleteSession(command.deleteSession);
    return { deleted: true };
  }
  if (command.rotate)
    return { url: (await rotateServerSecret(command.rotate.userId, command.rotate.serverId)).url };
  throw new Error("unknown command");
}

async function main(): Promise<void> {
  if (!(await whenSnapshotFeedLive(15_000))) throw new Error("the invalidation feed did not come up");
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
  const lines = createInterface({ input: process.stdin });
  // One command at a time, so answers come back in order.
  for await (const line of lines) {
    const reply = await answer(line).catch((error: Error) => ({ error: error.message }));
    process.stdout.write(`${JSON.stringify(reply)}\n`);
  }
  process.exit(0);
}

void main();
