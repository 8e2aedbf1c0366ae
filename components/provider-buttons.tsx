"use client";
// "Continue with …" for each configured sign-in provider (GitHub, Google, single sign-on), on the
// sign-in and sign-up pages: a provider sign-in opens an account or creates one alike.
import { signInWithProvider } from "@/components/auth-client";

export function ProviderButtons({
  providers,
  next = "/",
}: {
  providers: { id: string; name: string }[];
  /** Where to go once signed in (a path on this site). */
  next?: string;
}) {
  if (providers.length === 0) return null;
  return (
    <div className="space-y-2 border-t border-zinc-200 pt-4 dark:border-zinc-800">
      {providers.map((provider) => (
        <button
          key={provider.id}
          type="button"
          onClick={() => void signInWithProvider(provider.id, next)}
          className="w-full rounded-md border border-zinc-300 px-4 py-2 text-sm font-medium hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-800"
        >
          Continue with {provider.name}
        </button>
      ))}
    </div>
  );
}
