// The home page's checklist as the person's data moves it, against the run's real database: a
// server, a tool, an account for the tools whose app needs one, a first call in the ledger; and
// nothing of another person's counts.
import { afterAll, describe, expect, it } from "vitest";
import { createConnection } from "@/lib/connections/manage-connections";
import { getDb } from "@/lib/db/client";
import { createServer } from "@/lib/servers/manage-servers";
import { addTool, addToolSchema } from "@/lib/tools/manage-tools";
import { uniqueEmail } from "@/test/helpers/mcp";
import { closeTestConnections } from "@/test/helpers/teardown";
import { createUser } from "./create-user";
import { getOnboardingProgress, nextOnboardingStep } from "./onboarding-progress";

afterAll(async () => {
  await closeTestConnections();
});

const newUser = async (label: string) =>
  (await createUser({ email: uniqueEmail(label), password: "correct horse battery" })).id;

async function recordCall(
  userId: string,
  tool: { id: string; name: string; serverId: string },
  startedAt: Date,
) {
  await getDb().call.create({
    data: {
      userId,
      serverId: tool.serverId,
      toolId: tool.id,
      toolName: tool.name,
      integration: "formatter",
      action: "calculate",
      status: "SUCCESS",
      counted: true,
      startedAt,
      finishedAt: startedAt,
    },
  });
}

describe("getOnboardingProgress", () => {
  it("advances from nothing to a server, a tool and a first call, for apps that need no account", async () => {
    const userId = await newUser("progress-plain");
    const empty = await getOnboardingProgress(userId);
    expect(empty).toEqual({
      server: null,
      tool: null,
      accounts: { needed: 0, missing: [] },
      firstCall: null,
    });
    expect(nextOnboardingStep(empty)).toBe("server");

    const server = await createServer(userId, "Claude Desktop");
    const withServer = await getOnboardingProgress(userId);
    expect(withServer.server).toEqual({ id: server.id, name: "Claude Desktop" });
    expect(nextOnboardingStep(withServer)).toBe("tool");

    const tool = await addTool(
      userId,
      server.id,
      addToolSchema.parse({ integration: "formatter", action: "calculate" }),
    );
    const withTool = await getOnboardingProgress(userId);
    expect(withTool.tool).toEqual({
      id: tool.id,
      name: tool.name,
      serverId: server.id,
      serverName: "Claude Desktop",
    });
    // Formatter needs no account: the step is not needed, and the next one is the first call.
    expect(withTool.accounts).toEqual({ needed: 0, missing: [] });
    expect(nextOnboardingStep(withTool)).toBe("call");

    const first = new Date("2030-01-15T10:00:00.000Z");
    await recordCall(userId, { id: tool.id, name: tool.name, serverId: server.id }, first);
    await recordCall(
      userId,
      { id: tool.id, name: "later_call", serverId: server.id },
      new Date(first.getTime() + 60_000),
    );
    const done = await getOnboardingProgress(userId);
    expect(done.firstCall).toEqual({ toolName: tool.name, startedAt: first, status: "SUCCESS" });
    expect(nextOnboardingStep(done)).toBeNull();
  });

  it("asks for an account for each tool whose app needs one until the person has one for it", async () => {
    const userId = await newUser("progress-account");
    const server = await createServer(userId, "Cursor");
    await addTool(userId, server.id, addToolSchema.parse({ integration: "formatter", action: "calculate" }));
    const todoist = await addTool(
      userId,
      server.id,
      addToolSchema.parse({ integration: "todoist", action: "create_task" }),
    );
    const waiting = await getOnboardingProgress(userId);
    expect(waiting.accounts).toEqual({
      needed: 1,
      missing: [
        {
          toolId: todoist.id,
          toolName: todoist.name,
          serverId: server.id,
          integration: "todoist",
          appName: "Todoist",
        },
      ],
    });
    expect(nextOnboardingStep(waiting)).toBe("account");
    // The first tool is still the formatter one: the call step points at its server.
    expect(waiting.tool?.serverId).toBe(server.id);

    // A connection for the app serves a tool that has none chosen (the worker uses it).
    await createConnection(userId, { integration: "todoist", credentials: { api_token: "a-todoist-token" } });
    const connected = await getOnboardingProgress(userId);
    expect(connected.accounts).toEqual({ needed: 1, missing: [] });
    expect(nextOnboardingStep(connected)).toBe("call");
  });

  it("counts only the person's own servers, tools, connections and calls", async () => {
    const owner = await newUser("progress-owner");
    const server = await createServer(owner, "Owner's");
    const tool = await addTool(
      owner,
      server.id,
      addToolSchema.parse({ integration: "todoist", action: "create_task" }),
    );
    await createConnection(owner, { integration: "todoist", credentials: { api_token: "owner-token" } });
    await recordCall(owner, { id: tool.id, name: tool.name, serverId: server.id }, new Date());

    const stranger = await newUser("progress-stranger");
    const strangersServer = await createServer(stranger, "Stranger's");
    await addTool(
      stranger,
      strangersServer.id,
      addToolSchema.parse({ integration: "todoist", action: "create_task" }),
    );
    const progress = await getOnboardingProgress(stranger);
    expect(progress.server?.id).toBe(strangersServer.id);
    expect(progress.accounts.missing.map((entry) => entry.serverId)).toEqual([strangersServer.id]);
    expect(progress.firstCall).toBeNull();
    expect(nextOnboardingStep(progress)).toBe("account");
  });
});
