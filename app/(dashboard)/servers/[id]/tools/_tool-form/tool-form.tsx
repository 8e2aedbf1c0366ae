"use client";
// The configuration of one tool: which account it uses, its name and description, and for each
// input field whether the AI fills it, it is fixed, or it is left out; with a live preview of the
// tool as the AI gets it, and a try of the tool as it stands, saved or not. Its behaviour is in
// use-tool-form.ts, its state in tool-form-state.ts.
import { Card } from "@/components/kit/card";
import { Notice } from "@/components/kit/notice";
import { AccountPicker } from "./account-picker";
import { ActionsBar } from "./actions-bar";
import { ErrorSummary } from "./error-summary";
import { FieldList } from "./field-list";
import { NameAndDescription } from "./name-and-description";
import { looseErrorsOf } from "./tool-form-state";
import { ToolPreview } from "./tool-preview";
import { TryTool } from "./try-tool";
import { type ToolFormProps, useToolForm } from "./use-tool-form";

export function ToolForm(props: ToolFormProps) {
  const { serverId, toolId, app, action, connections } = props;
  const form = useToolForm(props);
  const { state } = form;
  return (
    <div className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
      <form onSubmit={form.submit} noValidate className="min-w-0 space-y-6" aria-label="Tool settings">
        {state.message && (
          <ErrorSummary
            message={state.message}
            looseErrors={looseErrorsOf(state.errors, form.properties)}
            alertRef={form.alertRef}
          />
        )}
        {state.saved && toolId && (
          <Notice tone="success">Saved. AI apps get the new version on their next request.</Notice>
        )}
        {app.authType !== "none" && (
          <AccountPicker
            app={app}
            connections={connections}
            connectionId={state.connectionId}
            error={state.errors.connectionId}
            connectedNotice={state.connectedNotice}
            formPath={form.formPath}
            onChoose={form.chooseConnection}
            onLeave={form.keepDraft}
          />
        )}
        <NameAndDescription
          name={state.name}
          description={state.description}
          nameError={state.errors.name}
          descriptionError={state.errors.description}
          suggestion={form.suggestedDescription}
          onRename={form.rename}
          onDescribe={form.describe}
        />
        <FieldList
          action={action}
          properties={form.properties}
          fields={state.fields}
          choices={state.choices}
          errors={state.errors}
          onChange={form.changeField}
          onLoadChoices={(field) => void form.loadChoices(field)}
        />
        <ActionsBar serverId={serverId} editing={toolId !== undefined} pending={form.pending} />
      </form>
      <div className="min-w-0 lg:col-start-1">
        <Card>
          <section aria-labelledby="try-heading" className="space-y-3">
            <h2 id="try-heading" className="text-lg font-semibold">
              Try it
            </h2>
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              Fill in what the AI would send, and run the tool once to see what it does
              {toolId === undefined ? ", before you add it" : ""}.
            </p>
            <TryTool
              inputSchema={form.preview.inputSchema}
              waitSeconds={props.waitSeconds}
              note={form.tryIt.note}
              run={form.tryIt.run}
              choices={form.tryIt.choices}
            />
          </section>
        </Card>
      </div>
      <div className="min-w-0 lg:sticky lg:top-4 lg:col-start-2 lg:row-span-2 lg:row-start-1 lg:self-start">
        <ToolPreview tool={form.preview} fixed={form.fixedValues} summary={form.summary} />
      </div>
    </div>
  );
}
