import { ButtonLink, EmptyState } from "@/components/kit";

// Shown for an unknown server id and for another user's server alike: whether a server exists is
// not told to anyone but its owner.
export default function ServerNotFound() {
  return (
    <div className="mx-auto max-w-3xl">
      <h1 className="mb-6 text-2xl font-bold">Server not found</h1>
      <EmptyState
        title="There is no such server in your account"
        action={<ButtonLink href="/servers">See your servers</ButtonLink>}
      >
        <p>It may have been deleted, or the link may be wrong.</p>
      </EmptyState>
    </div>
  );
}
