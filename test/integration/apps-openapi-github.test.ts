// GitHub's published OpenAPI description (@octokit/openapi: 1,200+ operations) imported as an
// app: the operations are picked, and a picked one sends the request the description defines
// (method, path, bearer token, JSON body) to a local emulator that checks it as GitHub does.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { setEnv } from "@/env";
import { findApp } from "@/lib/apps/app-registry";
import { openApiDriver } from "@/lib/apps/openapi/openapi-driver";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { type GitHubEmulator, githubToken, startGitHubEmulator } from "../emulators/github";
import { type AddedApp, addOpenApiApp, runAppAction } from "../fixtures/openapi/added-app";
import { uniqueEmail } from "../helpers/mcp";
import { closeTestConnections } from "../helpers/teardown";

const descriptionPath = createRequire(import.meta.url).resolve(
  "@octokit/openapi/generated/api.github.com.json",
);
const description = JSON.parse(readFileSync(descriptionPath, "utf8")) as Record<string, unknown>;
const githubHeaders = { "User-Agent": "toolgate-tests", "X-GitHub-Api-Version": "2022-11-28" };

let github: GitHubEmulator;
let userId: string;
let app: AddedApp;

beforeAll(async () => {
  setEnv({ HTTP_ALLOWED_PRIVATE_CIDRS: "127.0.0.1/32" });
  github = await startGitHubEmulator();
  userId = (await getDb().user.create({ data: { email: uniqueEmail("openapi-github") } })).id;
  app = await addOpenApiApp(userId, {
    name: "GitHub",
    spec: description,
    baseUrl: github.url,
    operations: ["issues/create", "issues/get", "GET /repos/{owner}/{repo}/issues"],
    auth: { type: "bearer" },
    headers: githubHeaders,
  });
}, 120_000);

afterAll(async () => {
  await github?.stop();
  await closeTestConnections();
});

describe("GitHub's OpenAPI description", () => {
  it("refuses to import all of it at once and says how to pick", async () => {
    const error = await openApiDriver
      .prepare({ name: "GitHub", spec: description }, AbortSignal.timeout(60_000))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toMatch(
      /has 1[,\d]{3,} operations, more than 100 .* give "operations" \(operationIds such as .*\) or "tags" \(it has \d+\)/,
    );
  });

  it("imports the picked operations as actions with GitHub's own words", async () => {
    expect(app.summary.added.sort()).toEqual(["issues_create", "issues_get", "issues_list-for-repo"]);
    expect(app.summary.refused).toEqual([]);
    expect(app.summary.flagged).toEqual({});
    const integration = await findApp(app.slug);
    const create = integration?.actions.find((action) => action.key === "issues_create");
    expect(create?.title).toBe("Create an issue");
    expect(create?.description).toMatch(/Any user with pull access to a repository can create an issue/);
    expect(create?.annotations).toMatchObject({ readOnly: false, destructive: false });
    expect(integration?.actions.find((action) => action.key === "issues_get")?.annotations).toMatchObject({
      readOnly: true,
    });
    expect(integration?.auth).toEqual({
      type: "api_key",
      fields: [expect.objectContaining({ name: "token", label: "Bearer token", secret: true })],
    });
  });

  it("sends issues/create as GitHub defines it: POST, the path, the bearer token, the JSON body", async () => {
    const created = (await runAppAction(
      app.slug,
      "issues_create",
      {
        owner: "octocat",
        repo: "hello-world",
        body: { title: "Found a bug", body: "It breaks when it rains.", labels: ["bug"] },
      },
      { token: githubToken },
    )) as { status: number; body: { number: number; title: string; labels: { name: string }[] } };
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ title: "Found a bug", labels: [{ name: "bug" }] });

    const sent = github.requestsTo("POST /repos/:owner/:repo/issues").at(-1)!;
    expect(sent.path).toBe("/repos/octocat/hello-world/issues");
    expect(sent.headers.authorization).toBe(`Bearer ${githubToken}`);
    expect(sent.headers["x-github-api-version"]).toBe("2022-11-28");
    expect(sent.contentType).toBe("application/json");
    expect(sent.body).toEqual({ title: "Found a bug", body: "It breaks when it rains.", labels: ["bug"] });

    const read = await runAppAction(
      app.slug,
      "issues_get",
      { owner: "octocat", repo: "hello-world", issue_number: created.body.number },
      { token: githubToken },
    );
    expect(read).toMatchObject({ status: 200, body: { number: created.body.number, title: "Found a bug" } });

    const listed = await runAppAction(
      app.slug,
      "issues_list-for-repo",
      { owner: "octocat", repo: "hello-world", state: "open", labels: "bug", per_page: 5 },
      { token: githubToken },
    );
    expect((listed as { body: unknown[] }).body.length).toBeGreaterThan(0);
    const query = github.requestsTo("GET /repos/:owner/:repo/issues").at(-1)!.query;
    // The description's defaults are filled in, as for any tool's arguments.
    expect(Object.fromEntries(query)).toEqual({
      state: "open",
      labels: "bug",
      per_page: "5",
      sort: "created",
      direction: "desc",
      page: "1",
    });
  });

  it("imports a tag's operations", async () => {
    const prepared = await openApiDriver.prepare(
      {
        name: "GitHub issues",
        spec: description,
        baseUrl: github.url,
        tags: ["issues"],
        auth: { type: "bearer" },
      },
      AbortSignal.timeout(60_000),
    );
    const names = prepared.actions.map((action) => action.upstreamName);
    expect(names.length).toBeGreaterThan(30);
    expect(names.every((name) => name.startsWith("issues/"))).toBe(true);
    // Every input schema is one zod can enforce (the registry falls back to accepting anything).
    for (const action of prepared.actions)
      expect(() => z.fromJSONSchema(action.inputSchema as never), action.upstreamName).not.toThrow();
  });
});
