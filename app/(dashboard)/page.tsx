import type { Metadata } from "next";
import { Notice } from "@/components/kit/notice";
import { UsageMeters } from "@/components/usage-meters";
import { requireUser } from "@/lib/auth/session";
import { getEffectiveLimits } from "@/lib/quota/effective-limits";
import { getUsage } from "@/lib/quota/usage";
import { getOnboardingProgress } from "@/lib/users/onboarding-progress";
import { OnboardingChecklist } from "./onboarding-checklist";
import { describeUsageWarnings } from "./usage-warnings";

export const metadata: Metadata = { title: "Home" };
export const dynamic = "force-dynamic";

export default async function HomePage() {
  const user = await requireUser();
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
