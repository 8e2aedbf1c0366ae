"use server";
// Creating and revoking personal API tokens. A new token goes back only in the create action's
// result, which the form shows once: it is never put in a cookie, a query string or a log.
import { revalidatePath } from "next/cache";
import { createApiToken, revokeApiToken } from "@/lib/tokens/api-tokens";
import { type ActionResult, formText, runServerAction } from "@/lib/web/server-action";

export type NewApiToken = { id: string; name: string; token: string; expiresAt: string | null };

export type CreateApiTokenState =
  | (ActionResult<NewApiToken> & { values?: { name: string; expiresInDays: string } })
  | null;

const tokensPath = "/settings/api-tokens";

export async function createApiTokenAction(
  _previous: CreateApiTokenState,
  form: FormData,
): Promise<CreateApiTokenState> {
  const name = formText(form, "name");
  const expiresInDays = formText(form, "expiresInDays");
  const result = await runServerAction("api_tokens.create", async ({ user, audit }) => {
    const created = await createApiToken(
      user.id,
      { name, expiresInDays: expiresInDays === "never" ? null : (Number(expiresInDays) as 30 | 90 | 365) },
      audit,
    );
    return {
      id: created.id,
      name: created.name,
      token: created.token,
      expiresAt: created.expiresAt?.toISOString() ?? null,
    };
  });
  if (result.ok) revalidatePath(tokensPath);
  return { ...result, values: { name: result.ok ? "" : name, expiresInDays } };
}

export async function revokeApiTokenAction(tokenId: string): Promise<ActionResult> {
  const result = await runServerAction("api_tokens.revoke", async ({ user, audit }) => {
    await revokeApiToken(user.id, tokenId, audit);
    return undefined;
  });
  if (result.ok) revalidatePath(tokensPath);
  return result;
}
