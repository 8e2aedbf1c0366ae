// The home page's warnings about limits: one per window at 80 % or more, the used-up ones first,
// each saying what happens and what the person can do about it.
import { describeResetMoment, meterLevel, percentUsed } from "@/components/history/format";
import type { Usage } from "@/lib/quota/usage";
import { type WindowName, windowNames } from "@/lib/quota/windows";

export type UsageWarning = { window: WindowName; level: "warning" | "full"; message: string; advice: string };

const windowWords: Record<WindowName, string> = { hour: "this hour", day: "today", month: "this month" };

export function describeUsageWarnings(
  usage: Usage,
  { admin = false }: { admin?: boolean } = {},
): UsageWarning[] {
  const ask = admin
    ? "You are an administrator: you can raise your own limits under Admin, Users."
    : "If you need more, ask your administrator to raise your limits.";
  return windowNames
    .flatMap((window): UsageWarning[] => {
      const { used, limit, resetsAt } = usage[window];
      const level = meterLevel(used, limit);
      if (level === "ok") return [];
      const until = describeResetMoment(window, new Date(resetsAt));
      const when = windowWords[window];
      if (level === "full")
        return [
          {
            window,
            level,
            message:
              limit === 0
                ? `Your limit ${when} is 0 calls: calls are refused until ${until}.`
                : `You have used ${limit === 1 ? "the one call" : `all ${limit.toLocaleString("en")} calls`} allowed ${when}; calls are refused until ${until}.`,
            advice: `Wait until then. ${ask}`,
          },
        ];
      return [
        {
          window,
          level,
          message: `You have used ${used.toLocaleString("en")} of ${limit.toLocaleString("en")} calls allowed ${when} (${percentUsed(used, limit)}%). At ${limit.toLocaleString("en")}, calls are refused until ${until}.`,
          advice: ask,
        },
      ];
    })
    .sort((a, b) => (a.level === b.level ? 0 : a.level === "full" ? -1 : 1));
}
