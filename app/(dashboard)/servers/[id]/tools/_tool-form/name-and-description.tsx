// The tool's name (what the AI calls it) and its description (when the AI should use it).
import { TextareaField, TextField } from "@/components/kit/fields";

export function NameAndDescription({
  name,
  description,
  nameError,
  descriptionError,
  onRename,
  onDescribe,
}: {
  name: string;
  description: string;
  nameError?: string;
  descriptionError?: string;
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
    </section>
  );
}
