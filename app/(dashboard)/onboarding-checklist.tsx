// The home page's checklist for the first hour, from the person's own data (getOnboardingProgress):
// each step says whether it is done in words as well as with a mark, the next one has the button
// that leads to where it is done, and once all are done it folds into a short "You're set up".
import Link from "next/link";
import { formatExact, formatRelative } from "@/components/history/format";
import { ButtonLink } from "@/components/kit/button";
import { Card } from "@/components/kit/card";
import {
  nextOnboardingStep,
  type OnboardingProgress,
  type OnboardingStepKey,
} from "@/lib/users/onboarding-progress";

type StepState = "done" | "not_needed" | "todo";
type Step = {
  key: OnboardingStepKey;
  title: string;
  state: StepState;
  detail: React.ReactNode;
  action?: { label: string; href: string } | null;
};

const stateWords: Record<StepState, string> = { done: "Done", not_needed: "Not needed", todo: "To do" };

function describeSteps(progress: OnboardingProgress, now: Date): Step[] {
  const { server, tool, accounts, firstCall } = progress;
  const missing = accounts.missing[0];
  return [
    {
      key: "server",
      title: "Create a server",
      state: server ? "done" : "todo",
      detail: server
        ? `“${server.name}” is ready.`
        : "A server gives your AI app one URL for all the tools you choose.",
      action: { label: "Create a server", href: "/servers" },
    },
    {
      key: "tool",
      title: "Add a tool",
      state: tool ? "done" : "todo",
      detail: tool
        ? `${tool.name} on “${tool.serverName}”.`
        : "Pick what your AI may do: an app's action, like sending a message or formatting text.",
      action: server && { label: "Add a tool", href: `/servers/${server.id}/tools/new` },
    },
    {
      key: "account",
      title: "Connect an account",
      state: !tool || missing ? "todo" : accounts.needed === 0 ? "not_needed" : "done",
      detail: missing
        ? `Your tool ${missing.toolName} uses ${missing.appName}, which needs your ${missing.appName} account.`
        : !tool
          ? "Only if a tool's app needs one (some, like Formatter, do not)."
          : accounts.needed === 0
            ? "Your tools use apps that need no account."
            : "Every tool that needs an account has one.",
      action: missing && {
        label: `Connect ${missing.appName}`,
        href: `/connections/new?${new URLSearchParams({
          app: missing.integration,
          returnTo: `/servers/${missing.serverId}/tools/${missing.toolId}`,
        })}`,
      },
    },
    {
      key: "call",
      title: "Make a first call",
      state: firstCall ? "done" : "todo",
      detail: firstCall ? (
        <FirstCall call={firstCall} now={now} />
      ) : (
        "Paste your server's URL into your AI app and ask it to use a tool, or try a tool once from its page."
      ),
      action: tool && { label: "Set up your AI app", href: `/servers/${tool.serverId}#setup` },
    },
  ];
}

function FirstCall({ call, now }: { call: NonNullable<OnboardingProgress["firstCall"]>; now: Date }) {
  return (
    <>
      {call.toolName},{" "}
      <time dateTime={call.startedAt.toISOString()} title={formatExact(call.startedAt)}>
        {formatRelative(call.startedAt, now)}
      </time>
      .{" "}
      <Link href="/history" className="font-medium text-brand-700 hover:underline dark:text-brand-300">
        See it in your history
      </Link>
    </>
  );
}

function StepMark({ state, number }: { state: StepState; number: number }) {
  const done = state !== "todo";
  return (
    <span
      aria-hidden="true"
      className={`flex size-7 shrink-0 items-center justify-center rounded-full text-sm font-semibold ${
        done
          ? "bg-green-100 text-green-800 dark:bg-green-950 dark:text-green-300"
          : "border border-zinc-300 text-zinc-700 dark:border-zinc-600 dark:text-zinc-300"
      }`}
    >
      {done ? "✓" : number}
    </span>
  );
}

export function OnboardingChecklist({
  progress,
  now = new Date(),
}: {
  progress: OnboardingProgress;
  now?: Date;
}) {
  const next = nextOnboardingStep(progress);
  if (next === null)
    return (
      <Card>
        <section aria-labelledby="setup-heading" className="space-y-2">
          <h2 id="setup-heading" className="font-semibold">
            You&apos;re set up
          </h2>
          {progress.firstCall && (
            <p className="text-sm text-zinc-700 dark:text-zinc-300">
              First call: <FirstCall call={progress.firstCall} now={now} />
            </p>
          )}
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            Your AI app can use your tools. Add more tools, connect more apps or see what ran:
          </p>
          <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm font-medium">
            {[
              { href: "/servers", label: "Your servers" },
              { href: "/apps", label: "Apps" },
              { href: "/history", label: "History" },
            ].map((link) => (
              <li key={link.href}>
                <Link href={link.href} className="text-brand-700 hover:underline dark:text-brand-300">
                  {link.label}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      </Card>
    );
  const steps = describeSteps(progress, now);
  const doneCount = steps.filter((step) => step.state !== "todo").length;
  return (
    <section aria-labelledby="setup-heading" className="space-y-3">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="setup-heading" className="text-lg font-semibold">
          Get set up
        </h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          {doneCount} of {steps.length} steps done
        </p>
      </div>
      <ol className="divide-y divide-zinc-200 rounded-xl border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900">
        {steps.map((step, index) => {
          const isNext = step.key === next;
          return (
            <li
              key={step.key}
              className="flex flex-col gap-3 p-4 sm:flex-row sm:items-center sm:justify-between"
              aria-current={isNext ? "step" : undefined}
            >
              <div className="flex min-w-0 gap-3">
                <StepMark state={step.state} number={index + 1} />
                <div className="min-w-0">
                  <h3 className="font-semibold">
                    {step.title}
                    <span className="sr-only">:</span>{" "}
                    <span
                      className={`ml-1 rounded-full px-2 py-0.5 text-xs font-medium ${
                        step.state === "todo"
                          ? "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300"
                          : "bg-green-100 text-green-800 dark:bg-green-950 dark:text-green-300"
                      }`}
                    >
                      {stateWords[step.state]}
                    </span>
                  </h3>
                  <p className="mt-0.5 text-sm break-words text-zinc-600 dark:text-zinc-400">{step.detail}</p>
                </div>
              </div>
              {isNext && step.action && (
                <div className="shrink-0">
                  <ButtonLink href={step.action.href}>{step.action.label}</ButtonLink>
                </div>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
