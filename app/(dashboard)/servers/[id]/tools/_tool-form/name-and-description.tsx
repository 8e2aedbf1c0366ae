// The tool's name (what the AI calls it) and its description (when the AI should use it), with
// a better description suggested once fixed values narrow what the action's own one promises.
import { Button } from "@/components/kit/button";
import { TextareaField, TextField } from "@/components/kit/fields";
import { Notice } from "@/components/kit/notice";

export function NameAndDescription({
  name,
  description,
  nameError,
  descriptionError,
  suggestion,
  onRename,
  onDescribe,
}: {
  name: string;
  description: string;
  nameError?: string;
  descriptionError?: string;
  suggestion?: string;
  onRename: (name: string) => void;
  onDescribe: (description: string) => void;
}) {
  return (
    <section aria-labelledby="about-heading" className="space-y-4">
      <h2 id="about-heading" className="text-lg font-semibold">
        Name and description
      </h2>
      <TextField
        id="tool-name"
        label="Tool name"
        name="tool-name"
        value={name}
        maxLength={64}
        autoComplete="off"
        spellCheck={false}
        hint="What the AI calls the tool: up to 64 letters, digits, '_' or '-'."
        error={nameError}
        onChange={(event) => onRename(event.target.value)}
      />
      <TextareaField
        id="tool-description"
        label="Description"
        rows={3}
        maxLength={2000}
        hint="Tells the AI when to use the tool. Leave it as it is to keep the app's own."
        error={descriptionError}
        value={description}
        onChange={(event) => onDescribe(event.target.value)}
      />
      {suggestion && (
        <Notice>
          <p>The app&apos;s description does not say which values this tool always uses. Suggested:</p>
          <p className="mt-1 italic" data-testid="suggested-description">
            {suggestion}
          </p>
          <div className="mt-2">
            <Button size="sm" onClick={() => onDescribe(suggestion)}>
              Use this description
            </Button>
          </div>
        </Notice>
      )}
    </section>
  );
}
