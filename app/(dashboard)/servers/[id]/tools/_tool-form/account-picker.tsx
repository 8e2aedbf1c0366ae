// Which of the person's accounts of the app the tool acts as; with none connected yet, a way to
// connect one that comes back to this form with what was filled in (onLeave keeps it).
import Link from "next/link";
import { NotSetUpNotice } from "@/components/app-not-set-up";
import { buttonClasses } from "@/components/kit/button";
import { HintAndError, SelectField } from "@/components/kit/fields";
import { Notice } from "@/components/kit/notice";
import { describeConnectionStatus, pickDefaultConnection } from "@/lib/connections/status-words";
import type { ToolFormApp } from "./tool-form-app";
import type { ToolFormConnection } from "./use-tool-form";

export function AccountPicker({
  app,
  connections,
  connectionId,
  error,
  connectedNotice,
  formPath,
  onChoose,
  onLeave,
}: {
  app: ToolFormApp;
  connections: ToolFormConnection[];
  connectionId: string;
  error?: string;
  connectedNotice?: string;
  formPath: string;
  onChoose: (connectionId: string) => void;
  onLeave: () => void;
}) {
  // The same account and the same words as the server page and Connections show for it.
  const defaultConnection = pickDefaultConnection(connections);
  const withStatus = (connection: ToolFormConnection) =>
    `${connection.label} (${describeConnectionStatus(connection.status, app.name).label})`;
  return (
    <section aria-labelledby="account-heading" className="space-y-3">
      <h2 id="account-heading" className="text-lg font-semibold">
        Account
      </h2>
      {connectedNotice && <Notice tone="success">{connectedNotice}</Notice>}
      {connections.length === 0 && app.notSetUp ? (
        <div className="space-y-2">
          <NotSetUpNotice app={app} viewerIsAdmin={app.notSetUp.viewerIsAdmin} />
          <HintAndError id="connectionId" error={error} />
        </div>
      ) : connections.length === 0 ? (
        <div className="space-y-2">
          <Notice tone="warning">
            You have no {app.name} account connected yet. The tool can be added now, but it will only work
            once you connect one.
          </Notice>
          <Link
            href={`/connections/new?app=${app.slug}&returnTo=${encodeURIComponent(formPath)}`}
            onClick={onLeave}
            className={buttonClasses("secondary", "sm")}
          >
            Connect your {app.name} account
          </Link>
          <HintAndError id="connectionId" error={error} />
        </div>
      ) : (
        <SelectField
          id="connectionId"
          label={`${app.name} account`}
          hint={`The tool acts as this account. Your default is the first ${app.name} account you connected that works.`}
          error={error}
          value={connectionId}
          onChange={(event) => onChoose(event.target.value)}
        >
          <option value="">
            Use my default account{defaultConnection ? `: ${withStatus(defaultConnection)}` : ""}
          </option>
          {connections.map((connection) => (
            <option key={connection.id} value={connection.id}>
              {withStatus(connection)}
            </option>
          ))}
        </SelectField>
      )}
    </section>
  );
}
