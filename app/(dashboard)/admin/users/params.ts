// The users list's URL parameters (?q=&sort=&dir=&page=), kept in the URL so that search, sorting
// and paging survive a reload, can be shared, and work without JavaScript.
import { defaultDirection, type SortDirection, type UserSort, userSorts } from "@/lib/admin/users";

export type UsersParams = { q?: string; sort: UserSort; dir: SortDirection; page: number };

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** The page's search parameters, with anything unknown dropped (a bad page number is page 1). */
export function parseUsersParams(search: Record<string, string | string[] | undefined>): UsersParams {
  const q = first(search.q)?.trim().slice(0, 200) || undefined;
  const sortText = first(search.sort);
  const sort = userSorts.find((name) => name === sortText) ?? "share";
  const dirText = first(search.dir);
  const dir = dirText === "asc" || dirText === "desc" ? dirText : defaultDirection[sort];
  const pageNumber = Number(first(search.page));
  const page = Number.isInteger(pageNumber) && pageNumber >= 1 && pageNumber <= 100_000 ? pageNumber : 1;
  return { q, sort, dir, page };
}

/** /admin/users with these parameters; defaults are left out. */
export function usersHref(params: Partial<UsersParams>): string {
  const query = new URLSearchParams();
  if (params.q) query.set("q", params.q);
  const sort = params.sort ?? "share";
  if (sort !== "share") query.set("sort", sort);
  if (params.dir && params.dir !== defaultDirection[sort]) query.set("dir", params.dir);
  if (params.page && params.page > 1) query.set("page", String(params.page));
  const text = query.toString();
  return text ? `/admin/users?${text}` : "/admin/users";
}

/** The link a column header leads to: its default direction first, the other one when clicked again. */
export function sortHref(params: UsersParams, sort: UserSort): string {
  const dir: SortDirection =
    params.sort === sort ? (params.dir === "asc" ? "desc" : "asc") : defaultDirection[sort];
  return usersHref({ q: params.q, sort, dir });
}
