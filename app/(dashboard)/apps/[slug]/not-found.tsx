import { ButtonLink } from "@/components/kit/button";
import { EmptyState } from "@/components/kit/card";

export default function AppNotFound() {
  return (
    <div>
      <h1 className="mb-6 text-2xl font-bold">App not found</h1>
      <EmptyState
        title="There is no app at this address"
        action={<ButtonLink href="/apps">See all apps</ButtonLink>}
      >
        It may have been renamed or removed. The catalog lists every app you can use.
      </EmptyState>
    </div>
  );
}
