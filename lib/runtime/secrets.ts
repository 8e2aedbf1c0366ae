// Secrets for a zero-config start: generated once, kept in DATA_DIR/secrets.json (mode 0600),
// and only for the variables the operator did not set.
import { randomBytes } from "node:crypto";
import { readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";

const storedSecretsSchema = z.object({
  AUTH_SECRET: z.string().min(32),
  ENCRYPTION_KEY: z.string().length(44),
  /** Keys replaced by `npm run cli -- keys rotate`, kept until nothing they sealed remains. */
  PREVIOUS_ENCRYPTION_KEYS: z.array(z.string().length(44)).optional(),
  /** The embedded PostgreSQL's password (absent from files written before it had one). */
  POSTGRES_PASSWORD: z.string().min(32).optional(),
});

export type PlatformSecrets = z.infer<typeof storedSecretsSchema>;

/** The secrets kept in DATA_DIR, or undefined if none were generated there yet. */
export async function readStoredSecrets(dataDir: string): Promise<PlatformSecrets | undefined> {
  const file = path.join(dataDir, "secrets.json");
  const existing = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw error;
  });
  if (existing === undefined) return undefined;
  const parsed = storedSecretsSchema.safeParse(JSON.parse(existing));
  if (!parsed.success)
    throw new Error(`${file} is damaged; restore it from a backup (it holds the encryption key).`);
  return parsed.data;
}

const newPassword = () => randomBytes(24).toString("base64url");

export async function loadOrCreateSecrets(
  dataDir: string,
): Promise<PlatformSecrets & { POSTGRES_PASSWORD: string }> {
  const existing = await readStoredSecrets(dataDir);
  const file = path.join(dataDir, "secrets.json");
  if (!existing) {
    const secrets = {
      AUTH_SECRET: randomBytes(32).toString("base64url"),
      ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      POSTGRES_PASSWORD: newPassword(),
    };
    await writeFile(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600, flag: "wx" });
    return secrets;
  }
  if (existing.POSTGRES_PASSWORD) return { ...existing, POSTGRES_PASSWORD: existing.POSTGRES_PASSWORD };
  // A file from before the embedded PostgreSQL: the password is added beside the keys, through a
  // new file renamed over the old one, so that a crash cannot leave the encryption key half-written.
  const updated = { ...existing, POSTGRES_PASSWORD: newPassword() };
  await writeFile(`${file}.new`, `${JSON.stringify(updated, null, 2)}\n`, { mode: 0o600 });
  await rename(`${file}.new`, file);
  return updated;
}
