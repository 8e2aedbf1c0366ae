// Secrets for a zero-config start: generated once, kept in DATA_DIR/secrets.json (mode 0600),
// and only for the variables the operator did not set.
import { randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";

const storedSecretsSchema = z.object({
  AUTH_SECRET: z.string().min(32),
  ENCRYPTION_KEY: z.string().length(44),
  /** Keys replaced by `npm run cli -- keys rotate`, kept until nothing they sealed remains. */
  PREVIOUS_ENCRYPTION_KEYS: z.array(z.string().length(44)).optional(),
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

export async function loadOrCreateSecrets(dataDir: string): Promise<PlatformSecrets> {
  const existing = await readStoredSecrets(dataDir);
  if (existing) return existing;
  const file = path.join(dataDir, "secrets.json");
  const secrets: PlatformSecrets = {
    AUTH_SECRET: randomBytes(32).toString("base64url"),
    ENCRYPTION_KEY: randomBytes(32).toString("base64"),
  };
  await writeFile(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  return secrets;
}
