"use client";
// What a page that failed while rendering shows, inside the site (error.tsx) or as the whole
// document when the root layout itself failed (global-error.tsx): no details (they are in the
// server's log, under the digest shown here), and a way to try again.
import { Button, ButtonLink } from "@/components/kit/button";
import { StatusPage } from "./status-page";

export function ErrorStatus({
  error,
  reset,
  homeLink,
}: {
  error: Error & { digest?: string };
  reset: () => void;
  homeLink: boolean;
}) {
  return (
    <main id="main" className="px-4">
      <StatusPage
        code="Error"
        title="Something went wrong on our side"
        actions={
          <>
            <Button variant="primary" onClick={reset}>
              Try again
            </Button>
            {homeLink && (
              <ButtonLink href="/" variant="secondary">
                Go to the home page
              </ButtonLink>
            )}
          </>
        }
      >
        <p>
          Try again in a moment. If it keeps happening, tell your administrator and give them the reference
          below.
        </p>
        {error.digest && (
          <p className="mt-2 text-sm text-zinc-500 dark:text-zinc-400">Reference: {error.digest}</p>
        )}
      </StatusPage>
    </main>
  );
}
