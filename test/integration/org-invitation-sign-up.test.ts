// An invitation to join an organization lets its address create an account while sign-up is by
// invitation only (on a database of its own: the setting is platform-wide). Only that address, only
// while the invitation is usable; signing up does not use it up (the person accepts it afterwards).
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { createOrg } from "@/lib/orgs/manage-orgs";
import { acceptOrgInvitation, createOrgInvitation, revokeOrgInvitation } from "@/lib/orgs/org-invitations";
import { resolveWorkspace, type Workspace } from "@/lib/orgs/workspace";
import { setSignUpMode } from "@/lib/settings/sign-up-mode";
import { createUser } from "@/lib/users/create-user";
import { getSignUpAccess } from "@/lib/users/sign-up-access";
import {
  createScratchDatabase,
  enterScratchDatabase,
  leaveScratchDatabase,
  type ScratchDatabase,
} from "../helpers/database";
import { uniqueEmail } from "../helpers/mcp";

vi.setConfig({ testTimeout: 60_000 });

const password = "a-long-password";
let database: ScratchDatabase;
let workspace: Workspace;

const tokenOf = (url: string) => decodeURIComponent(new URL(url).pathname.split("/").at(-1) ?? "");

async function invite(email: string) {
  const created = await createOrgInvitation(workspace, { email, role: "MEMBER" });
  return { ...created, token: tokenOf(created.url) };
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe("forbidden");
  return (error as AppError).message;
}

beforeAll(async () => {
  database = await createScratchDatabase();
  await enterScratchDatabase(database);
  const admin = await createUser({ email: uniqueEmail("org-signup-admin"), password });
  const owner = await createUser({ email: uniqueEmail("org-signup-owner"), password });
  await setSignUpMode("INVITATION_ONLY", { actorId: admin.id });
  const org = await createOrg(owner.id, "Initech");
  workspace = await resolveWorkspace(owner.id, org.id);
});

afterAll(async () => {
  await leaveScratchDatabase(database);
});

describe("sign-up with an invitation to an organization", () => {
  it("opens the sign-up form for the invited address, naming the organization", async () => {
    const email = uniqueEmail("org-signup-page");
    const { token, expiresAt } = await invite(email);
    expect(await getSignUpAccess(token)).toEqual({
      open: true,
      firstAccount: false,
      invitation: { token, email, expiresAt, orgName: "Initech" },
    });
    expect(await getSignUpAccess("tgo_not-a-real-token")).toEqual({
      open: false,
      reason: "invitation_unusable",
    });
  });

  it("admits only the invited address, leaves the invitation to be accepted, and records it", async () => {
    const email = uniqueEmail("org-signup-invitee");
    const { id, token } = await invite(email);
    const other = uniqueEmail("org-signup-other");
    expect(await refusal(createUser({ email: other, password, invitation: token }))).toContain(
      "This invitation link cannot be used",
    );
    expect(await getDb().user.count({ where: { email: other } })).toBe(0);

    const user = await createUser({ email: email.toUpperCase(), password, invitation: token });
    expect(user).toMatchObject({ email, role: "USER" });
    expect(await getDb().orgInvitation.findUniqueOrThrow({ where: { id } })).toMatchObject({
      acceptedAt: null,
    });
    const created = await getDb().auditEvent.findFirstOrThrow({
      where: { action: "user.created", targetId: user.id },
    });
    expect(created.metadata).toMatchObject({ email, orgInvitationId: id });

    const joined = await acceptOrgInvitation(user.id, token);
    expect(joined).toMatchObject({ orgId: workspace.orgId, role: "MEMBER" });
    // Accepted, the token admits nobody else.
    expect(await refusal(createUser({ email: uniqueEmail("late"), password, invitation: token }))).toContain(
      "cannot be used",
    );
  });

  it("admits nobody with a revoked or expired invitation", async () => {
    const revokedEmail = uniqueEmail("org-signup-revoked");
    const revoked = await invite(revokedEmail);
    await revokeOrgInvitation(workspace, revoked.id);
    await refusal(createUser({ email: revokedEmail, password, invitation: revoked.token }));

    const expiredEmail = uniqueEmail("org-signup-expired");
    const expired = await invite(expiredEmail);
    await getDb().orgInvitation.update({
      where: { id: expired.id },
      data: { expiresAt: new Date(Date.now() - 1) },
    });
    await refusal(createUser({ email: expiredEmail, password, invitation: expired.token }));
    expect(await getSignUpAccess(expired.token)).toEqual({ open: false, reason: "invitation_unusable" });
    expect(await getDb().user.count({ where: { email: { in: [revokedEmail, expiredEmail] } } })).toBe(0);
  });
});
