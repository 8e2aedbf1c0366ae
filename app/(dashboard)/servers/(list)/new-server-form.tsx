"use client";
// The "New server" form. On success it shows the new server's URL once, with the setup steps
// filled in and a link onwards to the server's page, where actions are added.
import { useActionState } from "react";
import { Button, ButtonLink } from "@/components/kit/button";
import { Card } from "@/components/kit/card";
import { TextField } from "@/components/kit/fields";
import { Notice } from "@/components/kit/notice";
import { type CreateServerState, createServerAction } from "../actions";
import { OneTimeUrl } from "../one-time-url";
import { SetupGuide } from "../setup-guide";

export function NewServerForm({ appUrl, appSlug }: { appUrl: string; appSlug?: string }) {
  const [state, action, pending] = useActionState<CreateServerState, FormData>(createServerAction, null);
  const created = state?.ok ? state.data : undefined;
  const failure = state && !state.ok ? state : undefined;
  return (
    <div className="space-y-4">
      <Card>
        <h2 id="new-server" className="font-semibold">
          New server
        </h2>
        <form action={action} noValidate className="mt-3 space-y-3" aria-labelledby="new-server">
          {failure && !failure.fieldErrors?.name && <Notice tone="danger">{failure.message}</Notice>}
          <div className="flex flex-col gap-3 sm:flex-row sm:items-start">
            <div className="flex-1">
              <TextField
                id="name"
                label="Name"
                name="name"
                required
                maxLength={100}
                placeholder="Claude Desktop"
                hint="Name it after the AI app that will use it, like “Claude Desktop” or “Cursor”."
                defaultValue={state?.values?.name}
                error={failure?.fieldErrors?.name}
              />
            </div>
            <div className="sm:pt-6">
              <Button type="submit" variant="primary" pending={pending}>
                {pending ? "Creating…" : "Create server"}
              </Button>
            </div>
          </div>
        </form>
      </Card>
      {created && (
        <Card className="space-y-4">
          <OneTimeUrl url={created.url} heading={`“${created.name}” is ready. Here is its MCP URL.`} />
          <div className="flex flex-wrap gap-2">
            <ButtonLink
              href={`/servers/${created.id}/tools/new${appSlug ? `?app=${encodeURIComponent(appSlug)}` : ""}`}
            >
              Add a tool to {created.name}
            </ButtonLink>
          </div>
          <div className="space-y-3">
            <h3 className="font-semibold">Add this URL to your AI app</h3>
            <SetupGuide url={created.url} appUrl={appUrl} serverName={created.name} />
          </div>
        </Card>
      )}
    </div>
  );
}
