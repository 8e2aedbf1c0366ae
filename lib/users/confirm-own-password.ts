// A signed-in person's own password, asked again before a sensitive change (a new password,
// deleting the account). Wrong answers count against the sign-in's per-account attempt limit,
// shared by every such form, so none of them can be used to guess.
import { verifyPassword } from "@/lib/auth/password";
import { clearRateLimit, hitRateLimit, signInLimits } from "@/lib/auth/rate-limit";
import { AppError } from "@/lib/errors/app-error";

export async function confirmOwnPassword(
  userId: string,
  passwordHash: string,
  password: string | undefined,
  refusal: { field: string; message: string },
): Promise<void> {
  const attemptsKey = `own-password|${userId}`;
  const attempts = await hitRateLimit(signInLimits.perAccount, attemptsKey);
  if (!attempts.allowed)
    throw new AppError(
      "rate_limited",
      `Too many wrong passwords. Try again in ${Math.ceil(attempts.retryAfterSeconds / 60)} minutes.`,
    );
  if (!password || !(await verifyPassword(password, passwordHash)))
    throw new AppError("validation_failed", refusal.message, { field: refusal.field });
  await clearRateLimit(signInLimits.perAccount, attemptsKey).catch(() => {});
}
