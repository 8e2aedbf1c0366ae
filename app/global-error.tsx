"use client";
// The last resort, when the root layout itself failed: it replaces the whole document, so it
// brings its own html and body and the site's stylesheet.
import "./globals.css";
import { Button } from "@/components/kit/button";
import { StatusPage } from "./status-page";

export default function GlobalError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <main id="main" className="px-4">
          <StatusPage
            code="Error"
            title="Something went wrong on our side"
            actions={
              <Button variant="primary" onClick={reset}>
                Try again
              </Button>
            }
          >
            <p>Try again in a moment. If it keeps happening, tell your administrator.</p>
            {error.digest && (
              <p className="mt-2 text-sm text-zinc-500 dark:text-zinc-400">Reference: {error.digest}</p>
            )}
          </StatusPage>
        </main>
      </body>
    </html>
  );
}
