import { ButtonLink } from "@/components/kit/button";
import { EmptyState } from "@/components/kit/card";

// Shown when a page under /servers calls notFound(): an unknown id and another user's server look
// the same, so nobody learns whether an id exists. The tool pages below a server land here too.
export default function ServerNotFound() {
  return (
    <div className="mx-auto max-w-3xl">
      <h1 className="mb-6 text-2xl font-bold">Not found</h1>
      <EmptyState
        title="This server or tool is not in your account"
        action={<ButtonLink href="/servers">See your servers</ButtonLink>}
      >
        <p>It may have been deleted, or the link may be wrong.</p>
      </EmptyState>
    </div>
  );
}
