// A stand-in for one web or worker replica, as far as OAuth clients go: a node process driven over
// stdin/stdout one JSON line at a time.
//   {"authorize": slug}  → {"clientId": string, "authorizeUrl": string} | {"error": string}
//   {"client": slug}     → {"clientId", "source", "secretSha256"} | {"client": null}
//   {"save": {"prefix", "clientId", "clientSecret"}} → {"saved": true} | {"error": string}
//   {"remove": prefix}   → {"removed": boolean}
// It prints {"ready": true} first.
import { createHash, randomUUID } from "node:crypto";
import { createInterface } from "node:readline";
import { findIntegration } from "@/integrations/registry";
import { beginAuthorization } from "@/lib/oauth/authorization";
import { getOAuthClient } from "@/lib/oauth/client-config";
import { removeStoredClient, saveStoredClient } from "@/lib/oauth/stored-client";

const actor = { email: "replica-admin@example.test" };
const context = { actorId: null, userAgent: "replica" };

async function answer(line: string): Promise<unknown> {
  const command = JSON.parse(line) as {
    authorize?: string;
    client?: string;
    save?: { prefix: string; clientId: string; clientSecret: string };
    remove?: string;
  };
  if (command.authorize !== undefined) {
    try {
      const url = new URL(await beginAuthorization(randomUUID(), command.authorize));
      return { clientId: url.searchParams.get("client_id"), authorizeUrl: `${url.origin}${url.pathname}` };
    } catch (error) {
      return { error: (error as Error).message };
    }
  }
  if (command.client !== undefined) {
    const client = await getOAuthClient(findIntegration(command.client)!);
    if (!client) return { client: null };
    return {
      clientId: client.clientId,
      source: client.source,
      secretSha256: createHash("sha256")
        .update(client.clientSecret ?? "")
        .digest("hex"),
    };
  }
  if (command.save) {
    const { prefix, ...input } = command.save;
    try {
      await saveStoredClient(prefix, input, actor, context);
      return { saved: true };
    } catch (error) {
      return { error: (error as Error).message };
    }
  }
  if (command.remove !== undefined) return { removed: await removeStoredClient(command.remove, context) };
  return { error: "unknown command" };
}

console.log(JSON.stringify({ ready: true }));
for await (const line of createInterface({ input: process.stdin })) {
  console.log(JSON.stringify(await answer(line)));
}
