"use server";
// Creating a server. Its URL (with the secret) goes back only in this action's result, which the
// form shows once: it is never put in a cookie, a query string or a log.
import { revalidatePath } from "next/cache";
import { createServer, createServerSchema } from "@/lib/servers/manage-servers";
import { type ActionResult, runServerAction } from "@/lib/web/server-action";

export type NewServer = { id: string; name: string; url: string };

export type CreateServerState = (ActionResult<NewServer> & { values?: { name: string } }) | null;

export async function createServerAction(
  _previous: CreateServerState,
  form: FormData,
): Promise<CreateServerState> {
  const name = String(form.get("name") ?? "");
  const result = await runServerAction("servers.create", async ({ workspace, audit }) => {
    const input = createServerSchema.parse({ name });
    const server = await createServer(workspace, input.name, audit);
    return { id: server.id, name: server.name, url: server.url };
  });
  if (result.ok) revalidatePath("/servers");
  return { ...result, values: { name: result.ok ? "" : name } };
}
