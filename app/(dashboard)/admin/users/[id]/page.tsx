import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache, type ReactNode } from "react";
import { ConnectedAppList } from "@/components/connected-apps";
import { formatDate } from "@/components/format-date";
import { Badge } from "@/components/kit/badge";
import { BackLink, PageHeader } from "@/components/kit/page-header";
import { getUserDetail, listPlanChoices } from "@/lib/admin/user-admin";
import { requireAdmin } from "@/lib/auth/session";
import { listUserGrants } from "@/lib/authorization-server/grants";
import { isAppError } from "@/lib/errors/app-error";
import { revokeUserGrantAction } from "../actions";
import { AdminBadge, SuspendedBadge } from "../usage-badges";
import { LimitsCard } from "./limits-card";
import { RecentCalls } from "./recent-calls";
import { SuspensionCard } from "./suspension-card";
import { UsageCharts } from "./usage-charts";
import { UsageSummary } from "./usage-summary";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

// Once per request, for the metadata and the page alike. The admin check comes first: the
// metadata is rendered beside the layout, not after its check, and must not load (or tell apart)
// anyone for a visitor who is not an administrator.
const loadUser = cache(async (id: string) => {
  await requireAdmin();
  try {
    return await getUserDetail(id);
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  }
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  const user = await loadUser(id);
  return { title: `${user.email} · Users · Admin` };
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="space-y-3">
      <h2 id={id} className="text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

export default async function AdminUserPage({ params }: Props) {
  const { id } = await params;
  const admin = await requireAdmin();
  const [user, plans, apps] = await Promise.all([loadUser(id), listPlanChoices(), listUserGrants(id)]);
  const plan = user.plan ?? plans.find((choice) => choice.isDefault) ?? null;
  const planLimits = {
    hour: plan?.hourlyLimit ?? 0,
    day: plan?.dailyLimit ?? 0,
    month: plan?.monthlyLimit ?? 0,
  };
  return (
    <div className="space-y-10">
      <div>
        <p className="mb-2 text-sm">
          <BackLink href="/admin/users">All users</BackLink>
        </p>
        <PageHeader
          title={user.email}
          description={
            <>
              {user.name && <>{user.name} · </>}
              {user.limits.planName} plan · joined{" "}
              <time dateTime={user.createdAt.toISOString()}>{formatDate(user.createdAt)}</time>
            </>
          }
          actions={
            <span className="flex flex-wrap gap-1">
              {user.suspendedAt && <SuspendedBadge />}
              {user.role === "ADMIN" && <AdminBadge />}
              {user.isDemo && <Badge>Demo</Badge>}
            </span>
          }
        />
      </div>

      <Section id="usage-heading" title="Usage">
        <UsageSummary usage={user.usage} email={user.email} />
        <UsageCharts hourly={user.series.hourly} daily={user.series.daily} />
      </Section>

      <div className="grid gap-6 lg:grid-cols-3">
        <div className="lg:col-span-2">
          <Section id="limits-heading" title="Limits">
            <LimitsCard
              userId={user.id}
              plans={plans}
              planId={user.plan?.id ?? null}
              planLimits={planLimits}
              overrides={user.overrides}
            />
          </Section>
        </div>
        <Section id="access-heading" title="Access">
          <SuspensionCard
            userId={user.id}
            email={user.email}
            suspended={user.suspendedAt !== null}
            isSelf={admin.id === user.id}
          />
        </Section>
      </div>

      <Section id="apps-heading" title="Connected apps">
        <ConnectedAppList
          apps={apps}
          revoke={revokeUserGrantAction.bind(null, user.id)}
          empty={{
            title: "No connected apps",
            body: <p>{user.email} has not let any AI app sign in to their servers.</p>,
          }}
        />
      </Section>

      <Section id="calls-heading" title="Recent calls">
        <RecentCalls calls={user.recentCalls} now={new Date()} />
      </Section>
    </div>
  );
}
