// A new organization: a name, and its creator is its first owner. It then becomes the current
// workspace, where connections, servers and tools are shared with the people invited to it.
import type { Metadata } from "next";
import { Card } from "@/components/kit/card";
import { PageHeader } from "@/components/kit/page-header";
import { requireUser } from "@/lib/auth/session";
import { NewOrgForm } from "./new-org-form";

export const metadata: Metadata = { title: "New organization" };

export default async function NewOrgPage() {
  await requireUser();
  return (
    <div className="mx-auto max-w-xl">
      <PageHeader
        title="New organization"
        description="An organization shares connections and servers among its members, each with a role. You become its owner; invite the others next."
      />
      <Card>
        <NewOrgForm />
      </Card>
    </div>
  );
}
