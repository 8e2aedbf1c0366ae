// From a GitHub token to an MCP tool call, over real HTTP end to end: a GitHub connection made
// with a token through the REST API, added as tools to a server, tested, and called from an MCP
// client through the URL the API returned; GitHub (its emulator) receives exactly the requests its
// API defines.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "@/lib/tokens/api-tokens";
import { createUser } from "@/lib/users/create-user";
import type { EmulatedRequest } from "../emulators/emulator";
import { type GitHubEmulator, githubToken, startGitHubEmulator } from "../emulators/github";
import { connectClient, secretOfUrl, uniqueEmail } from "../helpers/mcp";
import { type RunningPlatform, startPlatform, stopStartedPlatforms } from "../helpers/platform";
import { closeTestConnections } from "../helpers/teardown";

let emulator: GitHubEmulator;
let platform: RunningPlatform;
let apiToken: string;

async function api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
  const response = await fetch(`${platform.url}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${apiToken}`,
      ...(body !== undefined && { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json().catch(() => undefined)) as T };
}

beforeAll(async () => {
  emulator = await startGitHubEmulator();
  platform = await startPlatform({ env: { GITHUB_API_URL: emulator.url } });
  const user = await createUser({ email: uniqueEmail("github-e2e"), password: "correct horse battery" });
  apiToken = (await createApiToken(user.id, { name: "e2e" })).token;
}, 240_000);

afterAll(async () => {
  await stopStartedPlatforms();
  await emulator?.stop();
  await closeTestConnections();
});

describe("GitHub through the REST API and MCP", () => {
  it("connects with a token, adds tools, and sends GitHub exactly its API's requests", async () => {
    const integrations = await api<Array<{ slug: string; auth: { type: string; fields: unknown[] } }>>(
      "GET",
      "/integrations",
    );
    const github = integrations.json.find((integration) => integration.slug === "github");
    expect(github?.auth).toMatchObject({
      type: "api_key",
      fields: [expect.objectContaining({ name: "token", secret: true, help: expect.any(String) })],
    });

    const connection = await api<{ id: string; status: string }>("POST", "/connections", {
      integration: "github",
      label: "octocat",
      credentials: { token: githubToken },
    });
    expect(connection.status).toBe(201);
    expect(JSON.stringify(connection.json)).not.toContain(githubToken);
    const tested = await api<{ ok: boolean; account?: string }>(
      "POST",
      `/connections/${connection.json.id}/test`,
    );
    expect(tested.json).toEqual({ ok: true, account: "octocat" });
    const choices = await api<Array<{ value: string }>>(
      "GET",
      `/integrations/github/actions/create_issue/options/repository?connectionId=${connection.json.id}`,
    );
    expect(choices.status).toBe(200);
    expect(choices.json.map((choice) => choice.value)).toContain("octocat/hello-world");

    const server = await api<{ id: string; url: string }>("POST", "/servers", { name: "Claude" });
    expect(server.status).toBe(201);
    const tool = await api<{ name: string }>("POST", `/servers/${server.json.id}/tools`, {
      integration: "github",
      action: "create_issue",
      connectionId: connection.json.id,
      fields: { repository: { mode: "fixed", value: "octocat/hello-world" } },
    });
    expect(tool.status).toBe(201);
    expect(tool.json.name).toBe("github_create_issue");

    const client = await connectClient(platform.url, secretOfUrl(server.json.url));
    try {
      const { tools } = await client.listTools();
      expect(tools.map((listed) => listed.name)).toEqual(["github_create_issue"]);
      expect(Object.keys(tools[0]?.inputSchema.properties ?? {})).not.toContain("repository");
      const before = emulator.requests.length;
      const result = await client.callTool({
        name: "github_create_issue",
        arguments: { title: "Filed from Claude", body: "Through the REST API and MCP.", labels: ["bug"] },
      });
      expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
      expect(result.structuredContent).toMatchObject({ title: "Filed from Claude", state: "open" });
      const sent: EmulatedRequest[] = emulator.requests.slice(before);
      expect(sent.map((request) => `${request.method} ${request.path}`)).toEqual([
        "POST /repos/octocat/hello-world/issues",
      ]);
      const [request] = sent;
      expect(request?.headers.authorization).toBe(`token ${githubToken}`);
      expect(request?.headers.accept).toBe("application/vnd.github+json");
      expect(request?.headers["x-github-api-version"]).toBe("2022-11-28");
      expect(request?.contentType).toBe("application/json; charset=utf-8");
      expect(JSON.parse(request?.rawBody ?? "")).toEqual({
        title: "Filed from Claude",
        body: "Through the REST API and MCP.",
        labels: ["bug"],
      });
      // The MCP client's credential never reaches GitHub.
      expect(JSON.stringify(request?.headers)).not.toContain(secretOfUrl(server.json.url));
    } finally {
      await client.close();
    }
    const calls = await api<Array<{ toolName: string; status: string }>>("GET", "/calls?limit=5");
    expect(calls.json[0]).toMatchObject({ toolName: "github_create_issue", status: "SUCCESS" });
  });
});
