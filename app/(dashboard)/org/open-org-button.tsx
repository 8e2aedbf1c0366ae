"use client";
// Opens one of the person's organizations from their personal workspace's page.
import { useState, useTransition } from "react";
import { Button } from "@/components/kit/button";
import { openOrgAction } from "./actions";

export function OpenOrgButton({ orgId, name }: { orgId: string; name: string }) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string>();
  return (
    <div className="flex flex-col items-end gap-1">
      <Button
        size="sm"
        pending={pending}
        onClick={() =>
          startTransition(async () => {
            const result = await openOrgAction(orgId);
            if (result && !result.ok) setError(result.message);
          })
        }
      >
        Open<span className="sr-only"> {name}</span>
      </Button>
      {error && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
    </div>
  );
}
