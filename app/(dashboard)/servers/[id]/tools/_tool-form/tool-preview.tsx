// The tool exactly as an AI app will get it in tools/list (name, title, description,
// annotations, inputSchema), plus the values the platform adds on every call (a secret one masked).

export type ToolPreviewData = {
  name: string;
  title: string;
  description: string;
  inputSchema: Record<string, unknown>;
  annotations: Record<string, unknown>;
};

export function ToolPreview({
  tool,
  fixed,
  summary,
}: {
  tool: ToolPreviewData;
  fixed: Array<{ name: string; shown: string }>;
  /** The field settings in sentences (plain-words.ts). */
  summary: string[];
}) {
  return (
    <section
      aria-labelledby="preview-heading"
      className="rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <h2 id="preview-heading" className="font-semibold">
        What the AI sees
      </h2>
      <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
        Updates as you change the form. The AI can only send the fields listed under <code>inputSchema</code>.
      </p>
      <ul className="mt-3 space-y-1 text-sm" aria-label="In plain words" data-testid="preview-summary">
        {summary.map((sentence) => (
          <li key={sentence}>{sentence}</li>
        ))}
      </ul>
      <dl className="mt-3 space-y-2 text-sm">
        <div>
          <dt className="text-zinc-600 dark:text-zinc-400">Tool name</dt>
          <dd className="font-mono break-all" data-testid="preview-name">
            {tool.name || "(no name yet)"}
          </dd>
        </div>
        <div>
          <dt className="text-zinc-600 dark:text-zinc-400">Always sent by Toolgate</dt>
          <dd data-testid="preview-fixed">
            {fixed.length === 0 ? (
              "Nothing: the AI fills every field it sees."
            ) : (
              <ul className="list-inside list-disc">
                {fixed.map(({ name, shown }) => (
                  <li key={name}>
                    <code>{name}</code> = <code className="break-all">{shown}</code>
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </div>
      </dl>
      <section
        aria-label="The tool as JSON"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: scrollable regions must be reachable by keyboard
        tabIndex={0}
        className="mt-3 max-h-[28rem] overflow-auto rounded-md bg-zinc-100 p-3 dark:bg-zinc-950"
      >
        <pre data-testid="preview-json" className="text-xs leading-relaxed whitespace-pre-wrap break-words">
          {JSON.stringify(tool, null, 2)}
        </pre>
      </section>
    </section>
  );
}
