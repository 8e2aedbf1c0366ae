// Shown while a servers page loads.
export default function Loading() {
  return (
    <div className="mx-auto max-w-3xl animate-pulse space-y-6" aria-busy="true">
      <p className="sr-only" role="status">
        Loading your servers…
      </p>
      <div className="h-8 w-40 rounded bg-zinc-200 dark:bg-zinc-800" />
      <div className="h-28 rounded-xl bg-zinc-200 dark:bg-zinc-800" />
      <div className="h-40 rounded-xl bg-zinc-200 dark:bg-zinc-800" />
    </div>
  );
}
