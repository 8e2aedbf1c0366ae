"use server";

import { headers } from "next/headers";
import { z } from "zod";
import { hitRateLimit, signUpLimit } from "@/lib/auth/rate-limit";
import { isAppError } from "@/lib/errors/app-error";
import { clientAddress } from "@/lib/http/client-address";
import { createLogger } from "@/lib/log/logger";
import { createUser } from "@/lib/users/create-user";
import { signUpSchema } from "@/lib/users/schemas";

export type SignUpState = {
  ok: boolean;
  fieldErrors?: Partial<Record<"email" | "password" | "name", string>>;
  error?: string;
  values?: { email: string; name: string };
};

export async function signUpAction(_previous: SignUpState, form: FormData): Promise<SignUpState> {
  const raw = {
    email: String(form.get("email") ?? ""),
    password: String(form.get("password") ?? ""),
    name: String(form.get("name") ?? ""),
  };
  const values = { email: raw.email, name: raw.name };
  const parsed = signUpSchema.safeParse(raw);
  if (!parsed.success) {
    const flat = z.flattenError(parsed.error).fieldErrors;
    return {
      ok: false,
      values,
      fieldErrors: { email: flat.email?.[0], password: flat.password?.[0], name: flat.name?.[0] },
    };
  }
  const requestHeaders = await headers();
  const ip = clientAddress(requestHeaders);
  try {
    const limit = await hitRateLimit(signUpLimit, ip);
    if (!limit.allowed)
      return {
        ok: false,
        values,
        error: "Too many accounts were created from your network. Try again in an hour.",
      };
    const invitation = String(form.get("invitation") ?? "").slice(0, 200) || undefined;
    await createUser({ ...parsed.data, invitation }, { ip, userAgent: requestHeaders.get("user-agent") });
    return { ok: true, values };
  } catch (error) {
    if (isAppError(error)) return { ok: false, values, error: error.message };
    createLogger({ action: "signup" }).error({ err: (error as Error).message }, "sign-up failed");
    return {
      ok: false,
      values,
      error: "Your account could not be created right now. Try again in a minute.",
    };
  }
}
