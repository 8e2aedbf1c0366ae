import type { Metadata } from "next";
import { ButtonLink } from "@/components/kit/button";
import { Notice } from "@/components/kit/notice";
import { UsageMeters } from "@/components/usage-meters";
import type { CurrentUser } from "@/lib/auth/session";
import { requireWorkspace } from "@/lib/orgs/current-workspace";
import { roleWords } from "@/lib/orgs/roles";
import type { OrgWorkspace } from "@/lib/orgs/workspace";
import { getEffectiveLimits } from "@/lib/quota/effective-limits";
import { getOrgUsage, getUsage } from "@/lib/quota/usage";
import { getOnboardingProgress } from "@/lib/users/onboarding-progress";
import { OnboardingChecklist } from "./onboarding-checklist";
import { describeUsageWarnings } from "./usage-warnings";

export const metadata: Metadata = { title: "Home" };
export const dynamic = "force-dynamic";

export default async function HomePage() {
  const { user, workspace } = await requireWorkspace();
  if (workspace.kind === "org") return <OrgHome user={user} workspace={workspace} />;
  const [progress, usage, limits] = await Promise.all([
    getOnboardingProgress(user.id),
    getUsage(user.id),
    getEffectiveLimits(user.id),
  ]);
  const warnings = describeUsageWarnings(usage, { admin: user.role === "ADMIN" });
  return (
    <div className="space-y-8">
      <section>
        <h1 className="text-2xl font-bold">Welcome{user.name ? `, ${user.name}` : ""}</h1>
        <p className="mt-1 text-zinc-600 dark:text-zinc-400">
          Turn the apps you use into tools your AI assistant can call, with one personal URL.
        </p>
      </section>
      <OnboardingChecklist progress={progress} />
      <UsageMeters usage={usage} title={`Your usage (plan: ${limits.planName})`}>
        {warnings.map((warning) => (
          <Notice key={warning.window} tone={warning.level === "full" ? "danger" : "warning"}>
            <p className="font-semibold">{warning.message}</p>
            <p className="mt-1">{warning.advice}</p>
          </Notice>
        ))}
      </UsageMeters>
      {user.role === "ADMIN" && (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">You are an administrator.</p>
      )}
    </div>
  );
}

/**
 * Home in an organization's workspace: the first-hour checklist and the usage above are the
 * person's own, so here the organization's use of its plan and where its things are.
 */
async function OrgHome({ user, workspace }: { user: CurrentUser; workspace: OrgWorkspace }) {
  const { member: _member, ...usage } = await getOrgUsage(workspace.orgId, workspace.userId);
  return (
    <div className="space-y-8">
      <section>
        <h1 className="text-2xl font-bold">Welcome{user.name ? `, ${user.name}` : ""}</h1>
        <p className="mt-1 text-zinc-600 dark:text-zinc-400">
          You are working in {workspace.orgName} as {roleWords[workspace.role].toLowerCase()}. Its servers and
          connections are shared by its members; each of you calls its servers through your own URL.
        </p>
        <div className="mt-4 flex flex-wrap gap-2">
          <ButtonLink href="/servers">Its servers</ButtonLink>
          <ButtonLink href="/org" variant="secondary">
            Members and invitations
          </ButtonLink>
          <ButtonLink href="/org/usage" variant="secondary">
            Usage in detail
          </ButtonLink>
        </div>
      </section>
      <UsageMeters usage={usage} title={`${workspace.orgName}'s usage`} idPrefix="org-usage" />
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Your own checklist and your personal usage are in your personal workspace (the switcher in the
        header).
      </p>
    </div>
  );
}
