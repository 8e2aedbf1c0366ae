// "Try it" runs a configured tool through the real call path (lib/calls): the worker runs it,
// the ledger records it, and only the server's owner can run it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeCallOutcome } from "@/lib/calls/call-outcome";
import { getDb } from "@/lib/db/client";
import { addMembership, createOrg } from "@/lib/orgs/manage-orgs";
import { resolveWorkspace } from "@/lib/orgs/workspace";
import { getOrgUsage, getUsage } from "@/lib/quota/usage";
import { createServer } from "@/lib/servers/manage-servers";
import { generateServerSecret, hashServerSecret } from "@/lib/servers/server-secrets";
import { createUser } from "@/lib/users/create-user";
import { uniqueEmail } from "@/test/helpers/mcp";
import { closeTestConnections } from "@/test/helpers/teardown";
import { type RunningWorker, startWorker } from "@/test/helpers/worker";
import { addTool, addToolSchema } from "./manage-tools";
import { runToolOnce } from "./run-tool-once";

let worker: RunningWorker;
let userId: string;
let serverId: string;
let toolId: string;

beforeAll(async () => {
  worker = await startWorker();
  userId = (await createUser({ email: uniqueEmail("try-it"), password: "correct horse battery" })).id;
  serverId = (await createServer(userId, "Try it")).id;
  const tool = await addTool(
    userId,
    serverId,
    addToolSchema.parse({
      integration: "formatter",
      action: "transform_text",
      name: "shout",
      fields: { operation: { mode: "fixed", value: "uppercase" } },
    }),
  );
  toolId = tool.id;
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await closeTestConnections();
});

describe("runToolOnce", () => {
  it("runs the tool on the worker with its fixed values and records the call", async () => {
    const outcome = await runToolOnce(userId, serverId, toolId, { text: "hello" });
    expect(outcome).toEqual({ status: "succeeded", output: { result: "HELLO" } });
    const call = await getDb().call.findFirstOrThrow({ where: { toolId }, orderBy: { startedAt: "desc" } });
    expect(call).toMatchObject({
      userId,
      serverId,
      toolName: "shout",
      status: "SUCCESS",
      input: { text: "hello", operation: "uppercase" },
    });
  });

  it("answers bad arguments with a failed outcome that names them, as an MCP client is told", async () => {
    const outcome = await runToolOnce(userId, serverId, toolId, { text: "hi", operation: "lowercase" });
    expect(outcome).toMatchObject({ status: "failed", code: "invalid_arguments" });
    expect(describeCallOutcome(outcome)).toContain("unknown argument(s): operation");
  });

  it("does not run another user's tool, nor an unknown one", async () => {
    const stranger = await createUser({ email: uniqueEmail("stranger"), password: "correct horse battery" });
    await expect(runToolOnce(stranger.id, serverId, toolId, { text: "x" })).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(runToolOnce(userId, serverId, "no-such-tool", { text: "x" })).rejects.toMatchObject({
      code: "not_found",
    });
    expect(await getDb().call.count({ where: { userId: stranger.id } })).toBe(0);
  });
});

describe("runToolOnce in an organization", () => {
  it("runs as the calling member, on the organization's quota, within the tools they may call", async () => {
    const owner = (
      await createUser({ email: uniqueEmail("try-org-owner"), password: "correct horse battery" })
    ).id;
    const viewer = (
      await createUser({ email: uniqueEmail("try-org-viewer"), password: "correct horse battery" })
    ).id;
    const org = await createOrg(owner, "Try Co");
    await getDb().$transaction((tx) => addMembership(tx, { orgId: org.id, userId: viewer, role: "VIEWER" }));
    const server = await getDb().mcpServer.create({
      data: {
        userId: owner,
        orgId: org.id,
        name: "Shared",
        secretHash: hashServerSecret(generateServerSecret()),
      },
    });
    const shout = await getDb().tool.create({
      data: {
        serverId: server.id,
        integration: "formatter",
        action: "transform_text",
        name: "shout",
        fields: { operation: { mode: "fixed", value: "uppercase" } },
      },
    });
    const write = await getDb().tool.create({
      data: { serverId: server.id, integration: "github", action: "create_issue", name: "open_issue" },
    });
    const viewerWorkspace = await resolveWorkspace(viewer, org.id);

    const outcome = await runToolOnce(viewerWorkspace, server.id, shout.id, { text: "team" });
    expect(outcome).toEqual({ status: "succeeded", output: { result: "TEAM" } });
    const call = await getDb().call.findFirstOrThrow({ where: { toolId: shout.id } });
    expect(call).toMatchObject({ userId: viewer, orgId: org.id, status: "SUCCESS" });
    expect((await getOrgUsage(org.id, viewer)).member?.hour.used).toBe(1);
    expect((await getUsage(viewer)).hour.used).toBe(0);

    await expect(
      runToolOnce(viewerWorkspace, server.id, write.id, { repository: "octocat/hello-world", title: "x" }),
    ).rejects.toMatchObject({
      code: "forbidden",
      message: "You are a viewer in Try Co: viewers can call only tools that read.",
    });
    // Outside the organization's workspace the server does not exist for them.
    await expect(runToolOnce(viewer, server.id, shout.id, { text: "x" })).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(runToolOnce(userId, server.id, shout.id, { text: "x" })).rejects.toMatchObject({
      code: "not_found",
    });
  });
});
