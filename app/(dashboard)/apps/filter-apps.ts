// Searching and grouping the catalog: shared by the server render (?q=, no JavaScript needed) and
// the live filter in the browser, so both show the same apps.
import type { AuthKind } from "./auth-badge";

export type AppSummary = {
  slug: string;
  name: string;
  description: string;
  category: string;
  actionTitles: string[];
  authKind: AuthKind;
  connectionCount: number;
};

export const maxQueryLength = 100;

function normalize(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase();
}

/** Apps whose name, description or action titles contain every word of the query. */
export function filterApps(apps: AppSummary[], query: string): AppSummary[] {
  const words = normalize(query.slice(0, maxQueryLength)).split(/\s+/).filter(Boolean);
  if (words.length === 0) return apps;
  return apps.filter((app) => {
    const text = normalize([app.name, app.description, ...app.actionTitles].join("\n"));
    return words.every((word) => text.includes(word));
  });
}

// Apps that need no account are tools rather than apps a person recognises: they come last.
const lastCategory = "Built-in tools";

export function groupByCategory(apps: AppSummary[]): Array<{ category: string; apps: AppSummary[] }> {
  const groups = new Map<string, AppSummary[]>();
  for (const app of apps) groups.set(app.category, [...(groups.get(app.category) ?? []), app]);
  return [...groups]
    .sort(([a], [b]) => Number(a === lastCategory) - Number(b === lastCategory) || a.localeCompare(b))
    .map(([category, members]) => ({
      category,
      apps: [...members].sort((a, b) => a.name.localeCompare(b.name)),
    }));
}
