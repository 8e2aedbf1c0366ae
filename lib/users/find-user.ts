import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";

export async function getUserByEmailOrThrow(email: string) {
  const user = await getDb().user.findUnique({ where: { email: email.trim().toLowerCase() } });
  if (!user) throw new AppError("not_found", `No user has the email address ${email}.`);
  return user;
}
