// An organization's single sign-on rules, for its owners (anyone else gets "not found").
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Card } from "@/components/kit/card";
import { PageHeader } from "@/components/kit/page-header";
import { getOidcSettings } from "@/env";
import { requireWorkspace } from "@/lib/orgs/current-workspace";
import { getOrgSso } from "@/lib/orgs/sso-settings";
import { workspaceCan } from "@/lib/orgs/workspace";
import { OrgSsoForm } from "./sso-form";

export const metadata: Metadata = { title: "Single sign-on" };

export default async function OrgSsoPage() {
  const { workspace } = await requireWorkspace();
  if (workspace.kind !== "org" || !workspaceCan(workspace, "manage_org")) notFound();
  const settings = await getOrgSso(workspace);
  return (
    <div className="mx-auto max-w-3xl">
      <PageHeader
        title="Single sign-on"
        description={`How the members of ${workspace.orgName} sign in, and who joins it by signing in.`}
      />
      <Card>
        <OrgSsoForm
          orgId={workspace.orgId}
          ssoRequired={settings.ssoRequired}
          autoJoinDomain={settings.autoJoinDomain}
          providerName={getOidcSettings()?.name ?? null}
        />
      </Card>
    </div>
  );
}
