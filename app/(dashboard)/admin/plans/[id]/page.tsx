// One plan: edit its name and limits (they reach its people's next calls), make it the default,
// or delete it when no one is on it.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Badge } from "@/components/kit/badge";
import { Card } from "@/components/kit/card";
import { BackLink, PageHeader } from "@/components/kit/page-header";
import { requireAdmin } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors/app-error";
import { getPlanOrThrow, type PlanSummary } from "@/lib/plans/manage-plans";
import { updatePlanAction } from "../actions";
import { PlanActions } from "../plan-actions";
import { PlanForm } from "../plan-form";

export const metadata: Metadata = { title: "Plan · Admin" };
export const dynamic = "force-dynamic";

async function loadPlan(id: string): Promise<PlanSummary> {
  try {
    return await getPlanOrThrow(id);
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  }
}

export default async function PlanPage({ params }: { params: Promise<{ id: string }> }) {
  // Not only the layout: see ../page.tsx.
  await requireAdmin();
  const plan = await loadPlan((await params).id);
  const people = plan.userCount === 1 ? "1 person is" : `${plan.userCount.toLocaleString("en")} people are`;
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <BackLink href="/admin/plans">All plans</BackLink>
      </p>
      <PageHeader
        title={plan.name}
        description={
          <>
            {people} on this plan.{" "}
            {plan.isDefault
              ? "It is the default plan: new accounts join it."
              : "New accounts join the default plan, not this one."}
          </>
        }
        actions={plan.isDefault ? <Badge tone="info">Default</Badge> : undefined}
      />
      <Card>
        <h2 className="mb-1 text-lg font-semibold">Name and limits</h2>
        <p className="mb-4 text-sm text-zinc-600 dark:text-zinc-400">
          New limits apply to everyone on this plan from their next tool call; limits set for one person still
          win. Calls already made this hour, day and month keep counting.
        </p>
        <PlanForm
          action={updatePlanAction.bind(null, plan.id)}
          title={`Edit ${plan.name}`}
          initial={{
            name: plan.name,
            hourlyLimit: String(plan.hourlyLimit),
            dailyLimit: String(plan.dailyLimit),
            monthlyLimit: String(plan.monthlyLimit),
          }}
          submitLabel="Save changes"
          pendingLabel="Saving…"
          successPrefix="Saved"
        />
      </Card>
      {!plan.isDefault && (
        <Card>
          <h2 className="mb-1 text-lg font-semibold">Default and deletion</h2>
          <p className="mb-3 text-sm text-zinc-600 dark:text-zinc-400">
            {plan.userCount > 0
              ? "Move its people to another plan before deleting it."
              : "No one is on this plan, so it can be deleted."}
          </p>
          <PlanActions plan={plan} afterDelete="/admin/plans" />
        </Card>
      )}
    </div>
  );
}
