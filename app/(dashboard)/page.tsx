import type { Metadata } from "next";
import Link from "next/link";
import { requireUser } from "@/lib/auth/session";
import { getEffectiveLimits } from "@/lib/quota/effective-limits";
import { windowAdjectives, windowNames } from "@/lib/quota/windows";

export const metadata: Metadata = { title: "Home" };

const steps = [
  { title: "Connect your apps", body: "Sign in to the apps you use, or paste an API key.", href: "/apps" },
  { title: "Create a server", body: "One per AI app: Claude, ChatGPT, Cursor or VS Code.", href: "/servers" },
  { title: "Choose actions", body: "Pick what your AI may do, and fix or hide any field.", href: "/servers" },
  { title: "See what ran", body: "Every call, its inputs and results, and your usage.", href: "/history" },
];

export default async function HomePage() {
  const user = await requireUser();
  const limits = await getEffectiveLimits(user.id);
  return (
    <div className="space-y-8">
      <section>
        <h1 className="text-2xl font-bold">Welcome{user.name ? `, ${user.name}` : ""}</h1>
        <p className="mt-1 text-zinc-600 dark:text-zinc-400">
          Turn the apps you use into tools your AI assistant can call, with one personal URL.
        </p>
      </section>
      <section aria-labelledby="how">
        <h2 id="how" className="sr-only">
          How it works
        </h2>
        <ol className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          {steps.map((step, index) => (
            <li
              key={step.title}
              className="rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900"
            >
              <p className="text-xs font-semibold text-brand-600 dark:text-brand-300">Step {index + 1}</p>
              <h3 className="mt-1 font-semibold">
                <Link href={step.href} className="hover:underline">
                  {step.title}
                </Link>
              </h3>
              <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">{step.body}</p>
            </li>
          ))}
        </ol>
      </section>
      <section
        aria-labelledby="plan"
        className="rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900"
      >
        <h2 id="plan" className="font-semibold">
          Your plan: {limits.planName}
        </h2>
        <dl className="mt-3 grid grid-cols-3 gap-4 text-sm">
          {windowNames.map((window) => (
            <div key={window}>
              <dt className="text-zinc-600 capitalize dark:text-zinc-400">{windowAdjectives[window]}</dt>
              <dd className="text-lg font-semibold" data-testid={`limit-${windowAdjectives[window]}`}>
                {limits[window]} calls
              </dd>
            </div>
          ))}
        </dl>
        {user.role === "ADMIN" && (
          <p className="mt-3 text-sm text-zinc-600 dark:text-zinc-400">You are an administrator.</p>
        )}
      </section>
    </div>
  );
}
