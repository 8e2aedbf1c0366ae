"use server";
// The single sign-on settings form's one mutation: the same setOrgSso the REST API calls, in the
// organization the form was shown for (checked against the person's membership again here).
import { revalidatePath } from "next/cache";
import { storableString } from "@/lib/db/storable-text";
import { setOrgSso } from "@/lib/orgs/sso-settings";
import { resolveWorkspace } from "@/lib/orgs/workspace";
import { type ActionResult, formText, runServerAction } from "@/lib/web/server-action";

export type OrgSsoFormValues = { ssoRequired: boolean; autoJoinDomain: string };
export type OrgSsoState =
  | (ActionResult<{ ssoRequired: boolean; autoJoinDomain: string | null }> & { values: OrgSsoFormValues })
  | null;

export async function setOrgSsoAction(_previous: OrgSsoState, form: FormData): Promise<OrgSsoState> {
  const values = {
    ssoRequired: formText(form, "ssoRequired") === "on",
    autoJoinDomain: formText(form, "autoJoinDomain"),
  };
  const result = await runServerAction("org.sso", async ({ user, audit }) => {
    const workspace = await resolveWorkspace(
      user.id,
      storableString().min(1).max(100).parse(formText(form, "orgId")),
    );
    const saved = await setOrgSso(workspace, values, audit);
    return { ssoRequired: saved.ssoRequired, autoJoinDomain: saved.autoJoinDomain };
  });
  if (result.ok) revalidatePath("/org/settings/sso");
  return {
    ...result,
    values: result.ok
      ? { ssoRequired: result.data.ssoRequired, autoJoinDomain: result.data.autoJoinDomain ?? "" }
      : values,
  };
}
