// What the sign-up page offers a visitor: the form (open sign-up, the first account, or a usable
// invitation, whose address is then fixed) or a plain "by invitation only". An invitation to join
// an organization counts too: its address may sign up, then accept it. createUser decides again
// when the form is sent; this only spares people a form that would fail.
import { findUsableOrgInvitation } from "@/lib/orgs/org-invitations";
import { getSignUpMode } from "@/lib/settings/sign-up-mode";
import { nextAccountAdministers } from "./create-user";
import { findUsableInvitation } from "./invitations";

export type SignUpAccess =
  | {
      open: true;
      firstAccount: boolean;
      invitation?: { token: string; email: string | null; expiresAt: Date; orgName?: string };
    }
  | { open: false; reason: "invitation_required" | "invitation_unusable" };

export async function getSignUpAccess(
  invitationToken: string | undefined,
  now = new Date(),
): Promise<SignUpAccess> {
  const [firstAccount, mode, invitation, orgInvitation] = await Promise.all([
    nextAccountAdministers(),
    getSignUpMode(),
    invitationToken ? findUsableInvitation(invitationToken, now) : null,
    invitationToken ? findUsableOrgInvitation(invitationToken, now) : null,
  ]);
  if (invitation && invitationToken)
    return { open: true, firstAccount, invitation: { token: invitationToken, ...invitation } };
  if (orgInvitation && invitationToken) {
    const { email, expiresAt, org } = orgInvitation;
    return {
      open: true,
      firstAccount,
      invitation: { token: invitationToken, email, expiresAt, orgName: org.name },
    };
  }
  if (firstAccount || mode === "OPEN") return { open: true, firstAccount };
  return { open: false, reason: invitationToken ? "invitation_unusable" : "invitation_required" };
}
