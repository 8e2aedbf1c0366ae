import type { Metadata } from "next";
import { Notice } from "@/components/kit/notice";
import { BackLink, PageHeader } from "@/components/kit/page-header";
import { requireWorkspace } from "@/lib/orgs/current-workspace";
import { workspaceCan } from "@/lib/orgs/workspace";
import { AddAppForm } from "./add-app-form";

export const metadata: Metadata = { title: "Add an app" };

export default async function AddAppPage() {
  const { user, workspace } = await requireWorkspace();
  return (
    <div className="space-y-4">
      <nav aria-label="Breadcrumb">
        <BackLink href="/apps">All apps</BackLink>
      </nav>
      <PageHeader
        title="Add an app"
        description="Bring another MCP server, or any API with an OpenAPI description, as an app. Its actions become tools like any other app's, once you have reviewed them."
      />
      {workspaceCan(workspace, "manage_shared") ? (
        <AddAppForm canRunCommands={user.role === "ADMIN"} />
      ) : (
        <Notice tone="warning">
          Only owners and admins of {workspace.kind === "org" ? workspace.orgName : "the organization"} can
          add apps to it.
        </Notice>
      )}
    </div>
  );
}
