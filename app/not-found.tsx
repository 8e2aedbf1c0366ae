// Any address that matches no page, signed in or not.
import type { Metadata } from "next";
import { ButtonLink } from "@/components/kit/button";
import { StatusPage } from "./status-page";

export const metadata: Metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <main id="main" className="px-4">
      <StatusPage
        code="404"
        title="This page does not exist"
        actions={<ButtonLink href="/">Go to the home page</ButtonLink>}
      >
        <p>The address may be mistyped, or what it pointed to was deleted.</p>
      </StatusPage>
    </main>
  );
}
