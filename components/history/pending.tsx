"use client";
// Feedback while the next page of the history loads: the history has no loading.tsx, because a
// streamed fallback would hide the page from browsers without JavaScript, where filters must work.
import Link, { useLinkStatus } from "next/link";
import type { ReactNode } from "react";
import { useFormStatus } from "react-dom";
import { Button, buttonClasses } from "@/components/kit/button";

export function ApplyFiltersButton() {
  const { pending } = useFormStatus();
  return (
    // Not disabled while pending: the form stays submittable without JavaScript.
    <Button type="submit" variant="primary" aria-busy={pending || undefined}>
      {pending ? "Applying…" : "Apply filters"}
    </Button>
  );
}

function LinkSpinner() {
  const { pending } = useLinkStatus();
  return pending ? (
    <span
      aria-hidden="true"
      className="size-3 animate-spin rounded-full border-2 border-current border-t-transparent"
    />
  ) : null;
}

export function PageLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <Link href={href} className={buttonClasses("secondary")}>
      {children}
      <LinkSpinner />
    </Link>
  );
}
