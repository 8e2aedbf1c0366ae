"use server";
// The organization page's mutations. Each takes the organization the page showed (bound by the
// page) and resolves the signed-in person's membership in it again, so a tab left open after
// switching workspace elsewhere still acts on the organization it shows; the lib/orgs functions
// check the role. A new invitation's link goes back only in the create action's result.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { storableString } from "@/lib/db/storable-text";
import { chooseWorkspace } from "@/lib/orgs/choose-workspace";
import { changeMemberRole, orgRoleSchema, removeMember } from "@/lib/orgs/manage-orgs";
import { createOrgInvitation, revokeOrgInvitation } from "@/lib/orgs/org-invitations";
import { type LimitSettings, setDefaultMemberLimits, setMemberLimits } from "@/lib/orgs/org-limits";
import { resolveWorkspace } from "@/lib/orgs/workspace";
import type { InvitationMailOutcome } from "@/lib/users/invitation-mail";
import { type ActionResult, formText, runServerAction } from "@/lib/web/server-action";

const orgPath = "/org";
const idSchema = storableString().min(1).max(100);

function inOrg(userId: string, orgId: string) {
  return resolveWorkspace(userId, idSchema.parse(orgId));
}

export type RoleFormState = ActionResult<{ role: string }> | null;

export async function changeRoleAction(
  orgId: string,
  memberId: string,
  _previous: RoleFormState,
  form: FormData,
): Promise<RoleFormState> {
  const result = await runServerAction("org.members.role", async ({ user, audit }) => {
    const role = orgRoleSchema.parse(formText(form, "role"));
    await changeMemberRole(await inOrg(user.id, orgId), idSchema.parse(memberId), role, audit);
    return { role };
  });
  if (result.ok) revalidatePath(orgPath);
  return result;
}

export async function removeMemberAction(orgId: string, memberId: string): Promise<ActionResult> {
  const result = await runServerAction("org.members.remove", async ({ user, audit }) => {
    await removeMember(await inOrg(user.id, orgId), idSchema.parse(memberId), audit);
    return undefined;
  });
  if (result.ok) revalidatePath(orgPath);
  return result;
}

/** Leaves the organization and goes back to the personal workspace. */
export async function leaveOrgAction(orgId: string): Promise<ActionResult | undefined> {
  const result = await runServerAction("org.leave", async ({ user, audit }) => {
    await removeMember(await inOrg(user.id, orgId), user.id, audit);
    await chooseWorkspace(user.id, null);
    return undefined;
  });
  if (!result.ok) return result;
  redirect("/org");
}

export type NewOrgInvitation = {
  email: string;
  role: string;
  url: string;
  expiresAt: string;
  mail: InvitationMailOutcome;
};
export type InviteFormState =
  | (ActionResult<NewOrgInvitation> & { values?: { email: string; role: string; expiresInDays: string } })
  | null;

const lifetimeSchema = z
  .enum(["1", "7", "30"], { error: "Choose 1, 7 or 30 days." })
  .transform((days) => Number(days) as 1 | 7 | 30);

export async function inviteAction(
  orgId: string,
  _previous: InviteFormState,
  form: FormData,
): Promise<InviteFormState> {
  const values = {
    email: formText(form, "email"),
    role: formText(form, "role"),
    expiresInDays: formText(form, "expiresInDays"),
  };
  const result = await runServerAction("org.invitations.create", async ({ user, audit }) => {
    const input = z
      .object({ email: z.string(), role: orgRoleSchema, expiresInDays: lifetimeSchema })
      .parse(values);
    const created = await createOrgInvitation(await inOrg(user.id, orgId), input, audit);
    return {
      email: created.email,
      role: created.role,
      url: created.url,
      expiresAt: created.expiresAt.toISOString(),
      mail: created.mail,
    };
  });
  if (result.ok) revalidatePath(orgPath);
  return { ...result, values: result.ok ? { ...values, email: "" } : values };
}

export async function revokeOrgInvitationAction(orgId: string, id: string): Promise<ActionResult> {
  const result = await runServerAction("org.invitations.revoke", async ({ user, audit }) => {
    await revokeOrgInvitation(await inOrg(user.id, orgId), idSchema.parse(id), audit);
    return undefined;
  });
  if (result.ok) revalidatePath(orgPath);
  return result;
}

const limitText = z
  .string()
  .trim()
  .regex(/^\d*$/, "Enter a whole number of calls, or leave it empty for no limit.")
  .transform((text) => (text === "" ? null : Number(text)));

/** hour, day and month from the form: a whole number, or empty for none of the member's own. */
function readLimits(form: FormData): LimitSettings {
  return z
    .object({ hour: limitText, day: limitText, month: limitText })
    .parse({ hour: formText(form, "hour"), day: formText(form, "day"), month: formText(form, "month") });
}

type LimitValues = Record<"hour" | "day" | "month", string>;
export type LimitsFormState = (ActionResult<{ saved: true }> & { values?: LimitValues }) | null;

const limitValues = (form: FormData): LimitValues => ({
  hour: formText(form, "hour"),
  day: formText(form, "day"),
  month: formText(form, "month"),
});

export async function setDefaultMemberLimitsAction(
  orgId: string,
  _previous: LimitsFormState,
  form: FormData,
): Promise<LimitsFormState> {
  const result = await runServerAction("org.limits.default", async ({ user, audit }) => {
    await setDefaultMemberLimits(await inOrg(user.id, orgId), readLimits(form), audit);
    return { saved: true as const };
  });
  if (result.ok) revalidatePath(orgPath);
  return { ...result, values: limitValues(form) };
}

export async function setMemberLimitsAction(
  orgId: string,
  memberId: string,
  _previous: LimitsFormState,
  form: FormData,
): Promise<LimitsFormState> {
  const result = await runServerAction("org.limits.member", async ({ user, audit }) => {
    await setMemberLimits(await inOrg(user.id, orgId), idSchema.parse(memberId), readLimits(form), audit);
    return { saved: true as const };
  });
  if (result.ok) revalidatePath(orgPath);
  return { ...result, values: limitValues(form) };
}

/** From the personal workspace's list of organizations: opens one. */
export async function openOrgAction(orgId: string): Promise<ActionResult | undefined> {
  const result = await runServerAction("org.open", async ({ user }) => {
    await chooseWorkspace(user.id, idSchema.parse(orgId));
    return undefined;
  });
  if (!result.ok) return result;
  redirect("/org");
}
