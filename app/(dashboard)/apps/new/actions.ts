"use server";
// Adding an app from the form: the form's fields become the same body POST /api/v1/apps takes, and
// createApp reads the upstream. On success the person goes to the app's page to review its actions.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { createApp } from "@/lib/apps/manage-apps";
import { AppError } from "@/lib/errors/app-error";
import { type ActionResult, formText, runServerAction } from "@/lib/web/server-action";

export type AddAppState =
  | (ActionResult<{ slug: string; connectionError: string | null }> & { values?: Record<string, string> })
  | null;

/** An uploaded document's size at most: a server action's whole body is capped at 1 MB by Next.js. */
const maxUploadBytes = 1_000_000;

function lines(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((line) => line.trim())
    .filter(Boolean);
}

async function uploadedText(form: FormData): Promise<string | undefined> {
  const file = form.get("specFile");
  if (!(file instanceof File) || file.size === 0) return undefined;
  if (file.size > maxUploadBytes)
    throw new AppError(
      "payload_too_large",
      "The uploaded document is larger than 1 MB: give its URL instead.",
      { field: "spec" },
    );
  return file.text();
}

/** Every value of a repeated text field ("" for a file), or none when the form is not one. */
function formTexts(form: unknown, name: string): string[] {
  if (!(form instanceof FormData)) return [];
  return form.getAll(name).map((value) => (typeof value === "string" ? value : ""));
}

/**
 * A command (stdio) upstream's body, as POST /api/v1/apps takes it. Whether the person may add
 * one is decided by createApp, never by the form: a forged post is refused there.
 */
function commandBodyOf(form: FormData, name: string): Record<string, unknown> {
  const args = formText(form, "args")
    .split("\n")
    .map((line) => line.replace(/\r$/, ""))
    .filter((line) => line.trim() !== "");
  const values = formTexts(form, "envValue");
  const env = Object.fromEntries(
    formTexts(form, "envName")
      .map((envName, index) => [envName.trim(), values[index] ?? ""] as const)
      .filter(([envName, value]) => envName || value),
  );
  return { kind: "mcp", name, transport: "stdio", command: formText(form, "command").trim(), args, env };
}

/** The REST body the form stands for (a field left empty is left out, so the driver names it). */
async function bodyOf(form: FormData): Promise<Record<string, unknown>> {
  const text = (name: string) => formText(form, name).trim();
  const kind = text("kind");
  const name = text("name");
  if (kind === "openapi") {
    const spec = text("source") === "upload" ? await uploadedText(form) : undefined;
    const operations = lines(formText(form, "operations"));
    const tags = lines(formText(form, "tags"));
    return {
      kind,
      name,
      ...(text("source") === "upload" ? { spec: spec ?? "" } : { specUrl: text("specUrl") }),
      ...(text("baseUrl") && { baseUrl: text("baseUrl") }),
      ...(operations.length > 0 && { operations }),
      ...(tags.length > 0 && { tags }),
    };
  }
  if (kind === "mcp" && text("transport") === "stdio") return commandBodyOf(form, name);
  const auth = text("auth");
  const headerName = text("headerName") || "Authorization";
  return {
    kind,
    name,
    url: text("url"),
    ...(auth === "shared" && { headers: { [headerName]: formText(form, "headerValue") } }),
    ...(auth === "personal" && {
      auth: { type: "header", header: headerName, ...(text("scheme") && { scheme: text("scheme") }) },
      credentials: { value: formText(form, "headerValue") },
    }),
    ...(auth === "oauth" && { auth: { type: "oauth" } }),
  };
}

const keptFields = [
  "kind",
  "name",
  "url",
  "transport",
  "command",
  "args",
  "auth",
  "headerName",
  "scheme",
  "source",
  "specUrl",
  "baseUrl",
  "operations",
  "tags",
];

export async function addAppAction(_previous: AddAppState, form: FormData): Promise<AddAppState> {
  const values: Record<string, string> = {
    ...Object.fromEntries(keptFields.map((field) => [field, formText(form, field)])),
    // The variables' names are shown again; their values never are.
    envNames: formTexts(form, "envName").join("\n"),
  };
  const result = await runServerAction("apps.add", async ({ workspace, audit }) => {
    const app = await createApp(workspace, await bodyOf(form), audit);
    return { slug: app.slug, connectionError: app.connection?.error ?? null };
  });
  if (!result.ok) return { ...result, values };
  revalidatePath("/apps");
  const { slug, connectionError } = result.data;
  if (connectionError) return { ok: true, data: { slug, connectionError }, values };
  // Outside runServerAction: redirect() works by throwing, which the wrapper would catch.
  redirect(`/apps/${slug}`);
}
