"use client";
// The last resort, when the root layout itself failed: it replaces the whole document, so it
// brings its own html and body and the site's stylesheet.
import "./globals.css";
import { ErrorStatus } from "./error-status";

export default function GlobalError(props: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <ErrorStatus {...props} homeLink={false} />
      </body>
    </html>
  );
}
