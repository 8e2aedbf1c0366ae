// Search by email or name: a GET form (?q=), so it works without JavaScript; next/form navigates
// in place when JavaScript runs. A new search starts on page 1 and keeps the chosen sort.
import Form from "next/form";
import Link from "next/link";
import { Button, buttonClasses } from "@/components/kit/button";
import { inputClasses } from "@/components/kit/fields";
import { defaultDirection } from "@/lib/admin/users";
import type { UsersParams } from "./params";

export function UserSearch({ params }: { params: UsersParams }) {
  return (
    <Form
      action="/admin/users"
      role="search"
      aria-label="Search users"
      className="flex flex-col gap-2 sm:flex-row sm:items-end"
    >
      <div className="min-w-0 flex-1 space-y-1">
        <label htmlFor="user-search" className="block text-sm font-medium">
          Email or name
        </label>
        <input
          id="user-search"
          name="q"
          type="search"
          defaultValue={params.q ?? ""}
          maxLength={200}
          placeholder="ada@example.com"
          className={inputClasses}
        />
      </div>
      {params.sort !== "share" && <input type="hidden" name="sort" value={params.sort} />}
      {params.dir !== defaultDirection[params.sort] && <input type="hidden" name="dir" value={params.dir} />}
      <div className="flex gap-2">
        <Button type="submit" variant="primary">
          Search
        </Button>
        {params.q && (
          <Link href="/admin/users" className={buttonClasses("secondary")}>
            Clear
          </Link>
        )}
      </div>
    </Form>
  );
}
