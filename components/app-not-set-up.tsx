// An app that cannot be connected here because its OAuth client is not set up: an administrator
// is sent to set it up, anyone else is told whom to ask (for an added app: whoever manages it, on
// its page). Every place that lists apps says it this way, so no one is offered a button that
// leads to a page that then fails.
import Link from "next/link";
import { Notice } from "@/components/kit/notice";

type App = { slug: string; name: string; auth?: { clientOnAppPage?: boolean } };

export function setUpHref(slug: string): string {
  return `/admin/integrations#${slug}`;
}

/** An added app: its client is set on its own page by whoever manages it. */
function AddedAppNotSetUp({ app }: { app: App }) {
  return (
    <>
      Not set up yet: whoever manages {app.name} sets its{" "}
      <Link
        href={`/apps/${app.slug}#oauth-client`}
        className="relative z-10 font-medium underline hover:no-underline"
      >
        OAuth client
      </Link>{" "}
      on its page, then accounts can be connected.
    </>
  );
}

/** One line, for cards and lists. The link sits above a card's whole-card link. */
export function NotSetUpLine({ app, viewerIsAdmin }: { app: App; viewerIsAdmin: boolean }) {
  return (
    <p className="text-sm font-medium text-amber-900 dark:text-amber-200" data-not-set-up={app.slug}>
      {app.auth?.clientOnAppPage ? (
        <AddedAppNotSetUp app={app} />
      ) : viewerIsAdmin ? (
        <>
          Not set up yet:{" "}
          <Link href={setUpHref(app.slug)} className="relative z-10 underline hover:no-underline">
            set it up<span className="sr-only"> ({app.name})</span>
          </Link>
        </>
      ) : (
        <>Not available yet: ask your administrator to set up {app.name}</>
      )}
    </p>
  );
}

/** A notice, where a page would otherwise offer to connect an account. */
export function NotSetUpNotice({ app, viewerIsAdmin }: { app: App; viewerIsAdmin: boolean }) {
  return (
    <Notice tone="warning">
      <p className="font-semibold">{app.name} cannot be connected on this platform yet.</p>
      <p className="mt-1">
        {app.auth?.clientOnAppPage ? (
          <AddedAppNotSetUp app={app} />
        ) : viewerIsAdmin ? (
          <>
            Not set up yet:{" "}
            <Link href={setUpHref(app.slug)} className="font-medium underline hover:no-underline">
              set it up
            </Link>{" "}
            on the Integrations page, then accounts can be connected.
          </>
        ) : (
          <>Not available yet: ask your administrator to set up {app.name}.</>
        )}
      </p>
    </Notice>
  );
}
