// An added app's page: its upstream and health (with "Check now"), what the upstream says about
// itself, and each action with its state, what the scan found (what, where, the text around it), a
// line diff of a changed definition against the accepted one, its OAuth client when its connections
// sign in with OAuth, and, for owners and admins, Accept
// (the hash shown), Offered, Refresh and Delete. Texts from the upstream are untrusted: React
// escapes them, and invisible characters are spelled out.
import { AppLogo } from "@/components/app-logo";
import { Badge } from "@/components/kit/badge";
import { Card } from "@/components/kit/card";
import { Notice } from "@/components/kit/notice";
import { BackLink } from "@/components/kit/page-header";
import type { AppActionView, AppView } from "@/lib/apps/manage-apps";
import type { FindingKind } from "@/lib/apps/scan-definition";
import type { UpstreamTextPlace } from "@/lib/apps/upstream-texts";
import { ActionControls, AppControls, CheckNowButton } from "./added-app-controls";
import { definitionLines, diffLines, showInvisible } from "./definition-text";
import { OAuthClientSection } from "./oauth-client-section";

const statusTones = {
  served: "success",
  changed: "warning",
  flagged: "danger",
  new: "info",
  not_offered: "neutral",
  removed: "neutral",
} as const;

const findingWords: Record<FindingKind, string> = {
  hidden_text: "Hidden characters",
  instruction: "Instructions to the AI",
  tag: "A tag aimed at the AI",
  file_access: "Asks to read local files",
  exfiltration: "Asks to send data elsewhere",
};

const timeFormat = new Intl.DateTimeFormat("en", {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: "UTC",
});
const when = (date: Date | null) => (date ? `${timeFormat.format(date)} UTC` : "Never");

function upstreamAddress(source: unknown): string | null {
  if (!source || typeof source !== "object") return null;
  const { url, specUrl, baseUrl } = source as Record<string, unknown>;
  const address = [url, specUrl, baseUrl].find((value) => typeof value === "string");
  return (address as string | undefined) ?? null;
}

/** A command (stdio) upstream's command line, as stored (its environment's values are sealed). */
function commandLineOf(source: unknown): string | null {
  if (!source || typeof source !== "object") return null;
  const { transport, command, args } = source as Record<string, unknown>;
  if (transport !== "stdio" || typeof command !== "string") return null;
  const given = Array.isArray(args) ? args.filter((arg): arg is string => typeof arg === "string") : [];
  return [command, ...given].join(" ");
}

function HealthCard({
  slug,
  health,
  canCheck,
}: {
  slug: string;
  health: AppView["health"];
  canCheck: boolean;
}) {
  const state = health.healthy === null ? "Not checked yet" : health.healthy ? "Answering" : "Not answering";
  const tone = health.healthy === null ? "neutral" : health.healthy ? "success" : "danger";
  return (
    <Card>
      <p className="flex items-center gap-2 text-sm font-medium" data-testid="app-health">
        <Badge tone={tone}>{state}</Badge>
        {health.latencyMs !== null && <span>{health.latencyMs} ms</span>}
      </p>
      <dl className="mt-3 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-3">
        <div>
          <dt className="text-zinc-600 dark:text-zinc-400">Last checked</dt>
          <dd>{when(health.lastCheckedAt)}</dd>
        </div>
        <div>
          <dt className="text-zinc-600 dark:text-zinc-400">Last answered</dt>
          <dd>{when(health.lastOkAt)}</dd>
        </div>
        {health.lastError && (
          <div className="sm:col-span-3">
            <dt className="text-zinc-600 dark:text-zinc-400">Last error</dt>
            <dd className="break-words">{health.lastError}</dd>
          </div>
        )}
      </dl>
      {canCheck && <CheckNowButton slug={slug} />}
    </Card>
  );
}

const textPlaceWords: Record<UpstreamTextPlace, string> = {
  instructions: "Instructions it gives AI apps",
  "serverInfo.description": "Its description of itself",
  "info.description": "The description's own summary (info.description)",
};

function UpstreamTexts({ texts }: { texts: AppView["upstreamTexts"] }) {
  return (
    <section aria-labelledby="upstream-texts">
      <h2 id="upstream-texts" className="text-lg font-semibold">
        What the upstream says about itself
      </h2>
      <p className="mt-1 mb-3 max-w-2xl text-sm text-zinc-600 dark:text-zinc-400">
        Shown here for you to read, checked for hidden instructions, and never passed on to AI apps.
      </p>
      <ul className="space-y-3">
        {texts.map((text) => (
          <li key={text.where} data-testid="upstream-text" data-where={text.where}>
            <Card>
              <p className="flex flex-wrap items-center gap-2 text-sm font-medium">
                {textPlaceWords[text.where]}
                {text.findings.length > 0 ? (
                  <Badge tone="danger">Flagged</Badge>
                ) : (
                  <Badge>Nothing found</Badge>
                )}
              </p>
              <pre className="mt-2 max-h-64 overflow-auto whitespace-pre-wrap break-words rounded bg-zinc-50 p-2 text-xs dark:bg-zinc-950">
                {showInvisible(text.text)}
                {text.truncated && "…"}
              </pre>
              {text.findings.length > 0 && (
                <Findings findings={text.findings} intro="The scan found text that may be aimed at the AI:" />
              )}
            </Card>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Findings({
  findings,
  intro = "The scan found text that may be aimed at the AI rather than describe the action:",
}: {
  findings: AppActionView["findings"];
  intro?: string;
}) {
  return (
    <div className="mt-3 rounded-md border border-red-300 bg-red-50 p-3 text-sm dark:border-red-800 dark:bg-red-950">
      <p className="font-medium text-red-800 dark:text-red-200">{intro}</p>
      <ul className="mt-2 space-y-2" aria-label="What the scan found">
        {/* The scan reports one finding per kind and place at most. */}
        {findings.map((finding) => (
          <li key={`${finding.kind} ${finding.where}`} data-testid="finding">
            <span className="font-medium">{findingWords[finding.kind]}</span> in{" "}
            <code className="text-xs">{finding.where}</code>
            <pre className="mt-1 whitespace-pre-wrap break-words rounded bg-white/70 p-2 text-xs dark:bg-black/30">
              {finding.excerpt}
            </pre>
          </li>
        ))}
      </ul>
    </div>
  );
}

const diffStyles = {
  same: "text-zinc-600 dark:text-zinc-400",
  removed: "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200",
  added: "bg-green-100 text-green-900 dark:bg-green-950 dark:text-green-200",
} as const;
const diffMarks = { same: " ", removed: "-", added: "+" } as const;

function DefinitionDiff({ action }: { action: AppActionView }) {
  const lines = diffLines(definitionLines(action.acceptedDefinition), definitionLines(action.definition));
  return (
    <div className="mt-3">
      <p className="text-sm font-medium">What changed since it was accepted</p>
      <p className="text-xs text-zinc-600 dark:text-zinc-400">
        Lines marked − are the accepted definition, lines marked + the upstream&apos;s new one.
      </p>
      <section
        aria-label={`Changes to ${action.title}`}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: scrollable regions must be reachable by keyboard
        tabIndex={0}
        className="mt-1 max-h-96 overflow-auto rounded-md border border-zinc-200 dark:border-zinc-800"
      >
        <pre className="text-xs" data-testid="definition-diff">
          {lines.map((line, index) => (
            <div
              // biome-ignore lint/suspicious/noArrayIndexKey: lines are positional
              key={index}
              data-diff={line.kind}
              className={`whitespace-pre-wrap break-words px-2 ${diffStyles[line.kind]}`}
            >
              <span aria-hidden="true">{diffMarks[line.kind]} </span>
              {line.kind !== "same" && (
                <span className="sr-only">{line.kind === "added" ? "Added: " : "Removed: "}</span>
              )}
              {line.text}
            </div>
          ))}
        </pre>
      </section>
    </div>
  );
}

function effectOf(action: AppActionView): { label: string; tone: "success" | "warning" | "danger" } | null {
  const annotations = action.definition?.annotations;
  if (!annotations) return null;
  if (annotations.readOnly) return { label: "Read-only", tone: "success" };
  return annotations.destructive
    ? { label: "Destructive", tone: "danger" }
    : { label: "Changes data", tone: "warning" };
}

function ActionItem({ app, action, canChange }: { app: AppView; action: AppActionView; canChange: boolean }) {
  const effect = effectOf(action);
  const reviewable = ["changed", "flagged", "new"].includes(action.status);
  return (
    <li className="p-4" data-testid="added-app-action" data-key={action.key} data-status={action.status}>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <h3 className="font-medium">{showInvisible(action.title)}</h3>
        <Badge tone={statusTones[action.status]}>{action.statusText}</Badge>
        {effect && <Badge tone={effect.tone}>{effect.label}</Badge>}
      </div>
      <p className="mt-0.5 text-xs text-zinc-600 dark:text-zinc-400">
        Key <code>{action.key}</code>
        {action.upstreamName !== action.key && (
          <>
            {" "}
            · upstream name <code>{showInvisible(action.upstreamName)}</code>
          </>
        )}
      </p>
      {action.definition?.description && (
        <p className="mt-1 whitespace-pre-wrap break-words text-sm text-zinc-700 dark:text-zinc-300">
          {showInvisible(action.definition.description)}
        </p>
      )}
      {action.findings.length > 0 && <Findings findings={action.findings} />}
      {action.status === "changed" && <DefinitionDiff action={action} />}
      {action.status !== "changed" && action.definition && (
        <details className="mt-2 text-sm">
          <summary className="cursor-pointer text-brand-700 dark:text-brand-300">Full definition</summary>
          <section
            aria-label={`Definition of ${action.title}`}
            // biome-ignore lint/a11y/noNoninteractiveTabindex: scrollable regions must be reachable by keyboard
            tabIndex={0}
            className="mt-1 max-h-96 overflow-auto rounded-md bg-zinc-50 p-2 dark:bg-zinc-950"
          >
            <pre className="whitespace-pre-wrap break-words text-xs">
              {definitionLines(action.definition).join("\n")}
            </pre>
          </section>
        </details>
      )}
      {canChange && action.status !== "removed" && (
        <ActionControls
          slug={app.slug}
          actionKey={action.key}
          title={action.title}
          hash={action.hash}
          canAccept={reviewable}
          flagged={action.findings.length > 0}
          offered={action.offered}
        />
      )}
    </li>
  );
}

/** An app whose people sign in with OAuth and that has no actions yet: a first account reads them. */
function waitsForFirstAccount(app: AppView): boolean {
  const auth = app.auth as { type?: unknown } | null;
  return auth?.type === "oauth2" && app.actions.length === 0;
}

export function AddedAppView({
  app,
  canChange,
  canCheck,
}: {
  app: AppView;
  canChange: boolean;
  /** May use the workspace's apps: "Check now". */
  canCheck: boolean;
}) {
  const address = upstreamAddress(app.source);
  const commandLine = commandLineOf(app.source);
  return (
    <div className="space-y-8">
      <nav aria-label="Breadcrumb">
        <BackLink href="/apps">All apps</BackLink>
      </nav>

      <header className="flex flex-wrap items-start gap-4">
        <AppLogo slug={app.slug} name={app.name} size={64} />
        <div className="min-w-0 flex-1 basis-64">
          <h1 className="text-2xl font-bold">{app.name}</h1>
          {app.description && (
            <p className="mt-1 max-w-2xl text-zinc-600 dark:text-zinc-400">
              {showInvisible(app.description)}
            </p>
          )}
          <div className="mt-2 flex flex-wrap gap-2">
            <Badge>{app.kind === "mcp" ? "MCP server" : "OpenAPI"}</Badge>
            <Badge tone="success">{app.servedCount} served</Badge>
            {app.reviewCount > 0 && <Badge tone="warning">{app.reviewCount} to review</Badge>}
          </div>
        </div>
        {canChange && <AppControls slug={app.slug} name={app.name} />}
      </header>

      {waitsForFirstAccount(app) && (
        <Notice>
          Each person signs in to this server with their own account. Its tools are read once the first
          account is connected.{" "}
          {canChange && (
            <a href={`/api/oauth/${app.slug}/start`} className="font-medium underline">
              Connect your account
            </a>
          )}
        </Notice>
      )}

      <section aria-labelledby="health">
        <h2 id="health" className="mb-3 text-lg font-semibold">
          Health
        </h2>
        <HealthCard slug={app.slug} health={app.health} canCheck={canCheck} />
      </section>

      {app.upstreamTexts.length > 0 && <UpstreamTexts texts={app.upstreamTexts} />}

      <section aria-labelledby="upstream">
        <h2 id="upstream" className="mb-3 text-lg font-semibold">
          Upstream
        </h2>
        <Card>
          <dl className="grid gap-y-2 text-sm">
            {address && (
              <div>
                <dt className="text-zinc-600 dark:text-zinc-400">Address</dt>
                <dd className="break-all">{address}</dd>
              </div>
            )}
            {commandLine && (
              <div>
                <dt className="text-zinc-600 dark:text-zinc-400">Command, run on the workers&apos; host</dt>
                <dd className="break-all">
                  <code>{commandLine}</code>
                </dd>
              </div>
            )}
            <div>
              <dt className="text-zinc-600 dark:text-zinc-400">
                {commandLine ? "Its environment variables" : "Headers sent with every request"}
              </dt>
              <dd>
                {app.headerNames.length > 0 ? `${app.headerNames.join(", ")} (values kept secret)` : "None"}
              </dd>
            </div>
            <div>
              <dt className="text-zinc-600 dark:text-zinc-400">Tools and connections name it</dt>
              <dd>
                <code>{app.slug}</code>
              </dd>
            </div>
            <div>
              <dt className="text-zinc-600 dark:text-zinc-400">Actions last read</dt>
              <dd>{when(app.refreshedAt)}</dd>
            </div>
          </dl>
        </Card>
      </section>

      {app.oauthRedirectUri && (
        <section aria-labelledby="oauth-client">
          <h2 id="oauth-client" className="mb-3 text-lg font-semibold">
            OAuth client
          </h2>
          <OAuthClientSection app={app} redirectUri={app.oauthRedirectUri} canChange={canChange} />
        </section>
      )}

      <section aria-labelledby="actions">
        <h2 id="actions" className="text-lg font-semibold">
          Actions <span className="font-normal text-zinc-600 dark:text-zinc-400">({app.actions.length})</span>
        </h2>
        <p className="mt-1 mb-3 max-w-2xl text-sm text-zinc-600 dark:text-zinc-400">
          What an upstream says about its actions is not trusted. An action is served to AI apps only while
          its definition is the one accepted here: a changed one waits until it is reviewed and accepted
          again, and one the scan flagged is never accepted by itself.
        </p>
        {app.reviewCount > 0 && (
          <div className="mb-3">
            <Notice tone="warning">
              {app.reviewCount} {app.reviewCount === 1 ? "action waits" : "actions wait"} for review.
            </Notice>
          </div>
        )}
        <ul className="divide-y divide-zinc-200 rounded-xl border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900">
          {app.actions.map((action) => (
            <ActionItem key={action.key} app={app} action={action} canChange={canChange} />
          ))}
        </ul>
      </section>
    </div>
  );
}
