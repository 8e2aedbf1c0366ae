"use client";
// A page that failed while rendering: says so without details (they are in the server's log,
// under the digest shown here) and offers to try again.
import { Button, ButtonLink } from "@/components/kit/button";
import { StatusPage } from "./status-page";

export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
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
            <ButtonLink href="/" variant="secondary">
              Go to the home page
            </ButtonLink>
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
