// Plans: every plan with its limits and how many people are on it, a form for a new plan, and
// moving people to a plan by email address.
import type { Metadata } from "next";
import { Card } from "@/components/kit/card";
import { PageHeader } from "@/components/kit/page-header";
import { requireAdmin } from "@/lib/auth/session";
import { listPlans } from "@/lib/plans/manage-plans";
import { createPlanAction } from "./actions";
import { AssignPlanForm } from "./assign-plan-form";
import { PlanForm } from "./plan-form";
import { PlansTable } from "./plans-table";

export const metadata: Metadata = { title: "Plans · Admin" };
export const dynamic = "force-dynamic";

export default async function PlansPage() {
  // Not only the layout: Next.js renders a page alongside its layout and would stream the page's
  // data to the browser even after the layout's notFound().
  await requireAdmin();
  const plans = await listPlans();
  const defaultPlan = plans.find((plan) => plan.isDefault);
  return (
    <div className="space-y-8">
      <PageHeader
        title="Plans"
        description={
          <>
            Each person is on one plan, which sets how many tool calls they can make an hour, a day and a
            month (limits set for one person win over their plan&apos;s). New accounts join the default plan
            {defaultPlan ? <> — now {defaultPlan.name}</> : null}. Changes apply from each person&apos;s next
            call.
          </>
        }
      />
      <section aria-labelledby="plans-heading" className="space-y-3">
        <h2 id="plans-heading" className="text-lg font-semibold">
          All plans
        </h2>
        <PlansTable plans={plans} />
        <p className="text-xs text-zinc-600 dark:text-zinc-400">
          A plan can be deleted once no one is on it and another plan is the default.
        </p>
      </section>
      <Card>
        <h2 id="new-plan-heading" className="mb-3 text-lg font-semibold">
          New plan
        </h2>
        <PlanForm
          action={createPlanAction}
          title="New plan"
          initial={{ name: "", hourlyLimit: "", dailyLimit: "", monthlyLimit: "" }}
          submitLabel="Create plan"
          pendingLabel="Creating…"
          successPrefix="Created the plan"
        />
      </Card>
      <Card>
        <AssignPlanForm plans={plans.map((plan) => ({ id: plan.id, name: plan.name }))} />
      </Card>
    </div>
  );
}
