"use server";
// Creating an organization: its creator becomes its owner, and it becomes their current workspace.
import { redirect } from "next/navigation";
import { chooseWorkspace } from "@/lib/orgs/choose-workspace";
import { createOrg, createOrgSchema } from "@/lib/orgs/manage-orgs";
import { type ActionResult, formText, runServerAction } from "@/lib/web/server-action";

export type NewOrgState = (ActionResult<{ id: string }> & { values?: { name: string } }) | null;

export async function createOrgAction(_previous: NewOrgState, form: FormData): Promise<NewOrgState> {
  const values = { name: formText(form, "name") };
  const result = await runServerAction("orgs.create", async ({ user, audit }) => {
    const { name } = createOrgSchema.parse(values);
    const org = await createOrg(user.id, name, audit);
    await chooseWorkspace(user.id, org.id);
    return { id: org.id };
  });
  if (result.ok) redirect("/org");
  return { ...result, values };
}
