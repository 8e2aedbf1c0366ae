import { z } from "zod";
import { storableString } from "@/lib/db/storable-text";

export const emailSchema = storableString({ error: "Enter your email address." })
  .trim()
  .toLowerCase()
  .pipe(
    z
      .email({ error: "Enter a valid email address, like name@example.com." })
      .max(254, "That email address is too long."),
  );

export const passwordSchema = z
  .string({ error: "Enter a password." })
  .min(8, "Use at least 8 characters for your password.")
  .max(200, "Use at most 200 characters for your password.");

export const nameSchema = storableString()
  .trim()
  .max(100, "Use at most 100 characters for your name.")
  .optional()
  .transform((value) => value || undefined);

export const signUpSchema = z.object({ email: emailSchema, password: passwordSchema, name: nameSchema });
export type SignUpInput = z.input<typeof signUpSchema>;
