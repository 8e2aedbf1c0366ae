// A connection's status and "last used" follow what really happens to it: real calls (through the
// worker, as tools/call runs them) set both, told apart by cause; a check sets the status and when
// it was checked, never "last used"; a form's list of choices touches neither. Against the GitHub
// emulator, stopped at the end to make GitHub unreachable.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { type GitHubEmulator, githubToken, startGitHubEmulator } from "../emulators/github";
import { type AppHarness, startAppHarness } from "../helpers/app-harness";

let emulator: GitHubEmulator;
let harness: AppHarness;
let connectionId: string;
const repository = "octocat/hello-world";

beforeAll(async () => {
  emulator = await startGitHubEmulator();
  harness = await startAppHarness({ GITHUB_API_URL: emulator.url });
  connectionId = await harness.connectWithKey("github", { token: githubToken }, "Work");
}, 120_000);

afterAll(async () => {
  await harness?.stop();
  await emulator?.stop();
});

const readRow = (id = connectionId) =>
  getDb().connection.findUniqueOrThrow({
    where: { id },
    select: { status: true, statusMessage: true, lastCheckedAt: true, lastUsedAt: true, updatedAt: true },
  });

const createIssue = () =>
  harness.call("github", "create_issue", { repository, title: "Status" }, { connectionId });

describe("connection status from checks and real calls", () => {
  it("starts Not checked yet, and a form's list of choices changes nothing", async () => {
    const before = await readRow();
    expect(before).toMatchObject({ status: "UNCHECKED", lastCheckedAt: null, lastUsedAt: null });
    const options = await harness.options("github", "create_issue", "repository", connectionId);
    expect(options.map((option) => option.value)).toContain(repository);
    expect(await readRow()).toEqual(before);
  });

  it("a check sets the status and when it was checked, not when it was used", async () => {
    expect(await harness.testConnection(connectionId)).toEqual({ ok: true, account: "octocat" });
    const row = await readRow();
    expect(row.status).toBe("OK");
    expect(row.lastCheckedAt).not.toBeNull();
    expect(row.lastUsedAt).toBeNull();
  });

  it("a real call sets last used, and the next one within the minute writes nothing", async () => {
    const first = await harness.call("github", "list_repositories", {}, { connectionId });
    expect(first.isError, first.text).toBe(false);
    const used = await readRow();
    expect(used.status).toBe("OK");
    expect(used.lastUsedAt).not.toBeNull();

    const second = await harness.call("github", "list_repositories", {}, { connectionId });
    expect(second.isError, second.text).toBe(false);
    expect(await readRow()).toEqual(used);
  });

  it("a call that GitHub answers with a server error marks it Not working; the next success, Working", async () => {
    emulator.injectOnce(
      { status: 502, json: { message: "Server Error" } },
      "POST /repos/:owner/:repo/issues",
    );
    const failed = await createIssue();
    expect(failed.isError).toBe(true);
    expect(await readRow()).toMatchObject({
      status: "UNREACHABLE",
      statusMessage: expect.stringMatching(/^GitHub answered with a server error \(HTTP 502\)/),
    });
    const worked = await createIssue();
    expect(worked.isError, worked.text).toBe(false);
    expect(await readRow()).toMatchObject({ status: "OK", statusMessage: null });
  });

  it("a call whose token GitHub refuses marks it Needs reconnecting and counts as a use", async () => {
    const revoked = await harness.connectWithKey(
      "github",
      { token: "ghp_revoked000000000000000000000000000" },
      "Revoked",
    );
    const result = await harness.call("github", "list_repositories", {}, { connectionId: revoked });
    expect(result.isError).toBe(true);
    const row = await readRow(revoked);
    expect(row.status).toBe("NEEDS_RECONNECT");
    expect(row.statusMessage).toMatch(/HTTP 401\): Bad credentials/);
    expect(row.lastUsedAt).not.toBeNull();
  });

  it("a call that cannot reach GitHub at all marks it Not working with the network reason", async () => {
    await emulator.stop();
    const result = await createIssue();
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/^Could not reach GitHub: .* refused the connection \(ECONNREFUSED\)\./);
    const row = await readRow();
    expect(row.status).toBe("UNREACHABLE");
    expect(row.statusMessage).toMatch(
      /^GitHub could not be reached from this server \(.*\): check its network access/,
    );
  });
});
