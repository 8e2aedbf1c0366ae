// Configuration: the only module that reads process.env. Parsed lazily and once, so that
// `next build` (which imports server modules) does not need a running platform's settings.
import { z } from "zod";

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === "" ? undefined : value));

function splitList(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
}

/** Comma-separated values, as given (keys, CIDR ranges). */
const list = z.string().optional().transform(splitList);
/** Comma-separated names compared case-insensitively (emails, origins, hosts). */
const commaList = z
  .string()
  .optional()
  .transform((value) => splitList(value).map((item) => item.toLowerCase()));

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  // The address the web server listens on; unset, it follows APP_URL (see getListenHost).
  HOST: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z
      .union([z.ipv4(), z.ipv6(), z.hostname()], {
        error: "must be an IP address (such as 127.0.0.1, 0.0.0.0 or ::) or a host name",
      })
      .optional(),
  ),
  APP_URL: z.url({ protocol: /^https?$/ }).optional(),
  DATA_DIR: z.string().default("./data"),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  // Some nodes of a Redis Cluster (the rest are discovered), as redis:// or rediss:// URLs; when
  // set, the platform uses the cluster instead of REDIS_URL.
  REDIS_CLUSTER_NODES: z
    .string()
    .optional()
    .transform(splitList)
    .pipe(
      z.array(z.url({ protocol: /^rediss?$/, error: "must be comma-separated redis:// or rediss:// URLs" })),
    ),
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]*$/, "letters, digits, ':', '_' and '-' only")
    .default("tg"),
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  ENCRYPTION_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}=$/, "must be 32 bytes in base64 (44 characters)")
    .optional(),
  ENCRYPTION_OLD_KEYS: list,
  ADMIN_EMAILS: commaList,
  AUTH_GITHUB_ID: optionalString,
  AUTH_GITHUB_SECRET: optionalString,
  // GitHub Enterprise Server's base URL, for "Continue with GitHub" against it instead of github.com.
  AUTH_GITHUB_ENTERPRISE_URL: z.url({ protocol: /^https?$/ }).optional(),
  AUTH_GOOGLE_ID: optionalString,
  AUTH_GOOGLE_SECRET: optionalString,
  // Single sign-on through any OpenID Connect provider: its issuer (discovered at
  // <issuer>/.well-known/openid-configuration), this platform's client id and secret there, and
  // the name on the sign-in button ("Continue with <name>").
  AUTH_OIDC_ISSUER: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z
      .url({ protocol: /^https?$/, error: "must be the provider's issuer URL, like https://sso.example.com" })
      .optional(),
  ),
  AUTH_OIDC_ID: optionalString,
  AUTH_OIDC_SECRET: optionalString,
  AUTH_OIDC_NAME: optionalString,
  MCP_ALLOWED_ORIGINS: commaList,
  MCP_ALLOWED_HOSTS: commaList,
  MCP_MAX_BODY_BYTES: z.coerce.number().int().min(1_024).default(1_048_576),
  // Requests one MCP server (URL) may make a minute, all methods together; 0 turns the limit off.
  MCP_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(3000),
  // Live MCP sessions one server may hold; a new one beyond it ends the least recently used.
  MCP_MAX_SESSIONS_PER_SERVER: z.coerce.number().int().min(1).default(1000),
  // How long a web process may use a server snapshot (its URL, tools, owner's limits and
  // suspension) or an MCP session it cached should an invalidation announced through Redis not
  // reach it; 0 turns both caches off.
  SERVER_SNAPSHOT_MAX_AGE_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
  // How many reverse proxies in front of the web server append to X-Forwarded-For.
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  HTTP_ALLOWED_PRIVATE_CIDRS: list,
  HTTP_TIMEOUT_MS: z.coerce.number().int().min(100).default(20_000),
  HTTP_MAX_RESPONSE_BYTES: z.coerce
    .number()
    .int()
    .min(1_024)
    .default(10 * 1024 * 1024),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(20),
  // Days the call ledger keeps calls (0: forever); at least 35, so the current month stays whole.
  CALL_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .refine((days) => days === 0 || days >= 35, "must be 0 (keep every call) or at least 35")
    .default(90),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(25_000),
  // BullMQ stall detection: a job whose worker died is handed to another worker once its lock
  // (renewed every JOB_LOCK_MS / 2 while the worker lives) has expired and the next stall check
  // (every JOB_STALLED_INTERVAL_MS) runs. Lower values recover faster and cost more Redis traffic.
  JOB_LOCK_MS: z.coerce.number().int().min(1_000).default(30_000),
  JOB_STALLED_INTERVAL_MS: z.coerce.number().int().min(500).default(30_000),
  HEARTBEAT_INTERVAL_MS: z.coerce.number().int().min(100).default(5_000),
  // Outgoing mail (invitations); unset, Toolgate sends none and shows links to pass on by hand.
  // The schema's messages never repeat the value, which may hold the SMTP password.
  SMTP_URL: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z
      .url({
        protocol: /^smtps?$/,
        error: "must be an smtp:// or smtps:// URL, like smtps://user:password@mail.example.com:465",
      })
      .optional(),
  ),
  MAIL_FROM: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z
      .string()
      .regex(/^([^<>\r\n]*<[^<>\s@]+@[^<>\s@]+>|[^<>\s@]+@[^<>\s@]+)$/, {
        error: "must be an address, like Toolgate <no-reply@example.com> or no-reply@example.com",
      })
      .optional(),
  ),
});

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

export class ConfigError extends Error {}

export function getEnv(): Env {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join("\n  ")}`);
  }
  cached = parsed.data;
  return cached;
}

/** Forget the parsed configuration; scripts that set variables for themselves call this. */
export function resetEnvCache(): void {
  cached = undefined;
}

/** Sets variables for this process (and the children it spawns), then re-parses. */
export function setEnv(values: Record<string, string>): void {
  Object.assign(process.env, values);
  cached = undefined;
}

/** The environment to hand to child processes. */
export function getChildEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...extra };
}

export function getAppUrl(): string {
  const env = getEnv();
  return (env.APP_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, "");
}

const loopbackHosts = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/**
 * The address the web server listens on: HOST when set; otherwise loopback only (127.0.0.1) while
 * APP_URL is unset or a loopback URL, since nothing but this machine is meant to reach it, and
 * every interface (undefined: Node's `::` or `0.0.0.0`) once APP_URL names a public address.
 */
export function getListenHost(): string | undefined {
  const { HOST, APP_URL } = getEnv();
  if (HOST) return HOST;
  if (!APP_URL || loopbackHosts.test(new URL(APP_URL).hostname)) return "127.0.0.1";
  return undefined;
}

const howToFix: Record<string, string> = {
  DATABASE_URL: "set it to a PostgreSQL URL, or run `npm start`, which provides an embedded database",
  REDIS_URL:
    "set it to a Redis URL (or REDIS_CLUSTER_NODES to a Redis Cluster's nodes), or run `npm start`, which starts redis-server for you",
  AUTH_SECRET: "set it to a random string of at least 32 characters, or run `npm start`, which generates one",
  ENCRYPTION_KEY: "set it to 32 random bytes in base64, or run `npm start`, which generates one",
};

export function requireEnv<K extends RequiredSetting>(key: K): NonNullable<Env[K]> {
  const value = getEnv()[key];
  if (value === undefined) throw new ConfigError(`${key} is not set: ${howToFix[key]}.`);
  return value as NonNullable<Env[K]>;
}

/** Whether a Redis is configured: REDIS_URL, or a Redis Cluster's REDIS_CLUSTER_NODES. */
export function hasRedisSetting(): boolean {
  const env = getEnv();
  return env.REDIS_URL !== undefined || env.REDIS_CLUSTER_NODES.length > 0;
}

/** Single sign-on's settings, when its issuer, client id and secret are all set; otherwise null. */
export function getOidcSettings(): {
  issuer: string;
  clientId: string;
  clientSecret: string;
  name: string;
} | null {
  const env = getEnv();
  if (!env.AUTH_OIDC_ISSUER || !env.AUTH_OIDC_ID || !env.AUTH_OIDC_SECRET) return null;
  return {
    issuer: env.AUTH_OIDC_ISSUER,
    clientId: env.AUTH_OIDC_ID,
    clientSecret: env.AUTH_OIDC_SECRET,
    name: env.AUTH_OIDC_NAME?.trim() || "Single sign-on",
  };
}

type RequiredSetting = "DATABASE_URL" | "REDIS_URL" | "AUTH_SECRET" | "ENCRYPTION_KEY";

/**
 * For a process started on its own (`npm run web`, `npm run worker`, a replica): checks at start
 * that every setting it needs is there, naming all that are missing at once, rather than failing
 * at the first request or job that needs one.
 */
export function requireSettings(keys: RequiredSetting[], processName: string): void {
  const missing = keys.filter(
    (key) => !(key === "REDIS_URL" ? hasRedisSetting() : getEnv()[key] !== undefined),
  );
  if (missing.length === 0) return;
  throw new ConfigError(
    `${processName} cannot start: ${missing.map((key) => `${key} is not set (${howToFix[key]})`).join("; ")}.`,
  );
}

// Per-app settings are named after the app (GITHUB_API_URL, SLACK_CLIENT_ID, ...), so they are
// not in the schema above; each is read here, by a name of this shape only.
const integrationSettingName = /^[A-Z][A-Z0-9_]*_(API_URL|CLIENT_ID|CLIENT_SECRET|AUTHORIZE_URL|TOKEN_URL)$/;

/** An app's optional setting: a base URL override, or its OAuth client id or secret. */
export function getIntegrationSetting(name: string): string | undefined {
  if (!integrationSettingName.test(name)) throw new Error(`${name} is not an integration setting`);
  const value = process.env[name]?.trim();
  if (!value) return undefined;
  if (/_URL$/.test(name) && !z.url({ protocol: /^https?$/ }).safeParse(value).success)
    throw new ConfigError(`Invalid configuration:\n  ${name}: must be an http(s) URL, not "${value}"`);
  return value;
}
