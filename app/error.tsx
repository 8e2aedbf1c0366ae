"use client";
// A page that failed while rendering.
import { ErrorStatus } from "./error-status";

export default function ErrorPage(props: { error: Error & { digest?: string }; reset: () => void }) {
  return <ErrorStatus {...props} homeLink />;
}
