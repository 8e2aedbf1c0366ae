// What an upstream MCP server app is made of: what a person gives to add one (validated here),
// what is stored of it (where it is, how it is reached, how each connection authenticates), and
// the headers every request to it carries.
import { z } from "zod";
import { AppError } from "@/lib/errors/app-error";
import type { AppRecord } from "../app-driver";
import { appOAuthEndpointsSchema } from "../app-oauth-endpoints";

export const transportChoices = ["auto", "streamable-http", "sse"] as const;
/** A transport that was found to work: what is stored after "auto". */
export type UpstreamTransport = "streamable-http" | "sse";

const headerName = z
  .string()
  .trim()
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/, "a header name (letters, digits and - only)");

// Set by the transport itself (a session, the protocol revision) or by HTTP: never the owner's.
const reservedHeaders = new Set([
  "accept",
  "connection",
  "content-length",
  "content-type",
  "host",
  "last-event-id",
  "mcp-protocol-version",
  "mcp-session-id",
  "transfer-encoding",
]);

const headerValue = z
  .string()
  .max(8_000)
  .refine((value) => !/[\r\n\0]/.test(value), "a header value on one line");

const headersSchema = z
  .record(headerName, headerValue)
  .refine((headers) => Object.keys(headers).length <= 30, "at most 30 headers")
  .refine(
    (headers) => Object.keys(headers).every((name) => !reservedHeaders.has(name.toLowerCase())),
    `headers may not set ${[...reservedHeaders].join(", ")}`,
  );

const headerAuthSchema = z.object({
  type: z.literal("header"),
  header: headerName.default("Authorization"),
  /** Put before the value ("Bearer"), with a space. */
  scheme: z
    .string()
    .trim()
    .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,40}$/, "one word, such as Bearer")
    .optional(),
});

/**
 * Each person signs in at the upstream's authorization server (MCP authorization): the endpoints
 * found by discovery (mcp-oauth-discovery.ts), with what registering a client there takes.
 */
export const mcpOAuthSchema = appOAuthEndpointsSchema.extend({
  /** RFC 7591 dynamic client registration, when the authorization server offers it. */
  registrationUrl: z.string().max(2_000).optional(),
  /** The authorization server accepts a client ID metadata document's URL as client_id. */
  clientIdMetadataDocument: z.boolean().default(false),
});
export type McpOAuth = z.infer<typeof mcpOAuthSchema>;

/** How each connection authenticates, as stored. */
export const mcpAuthSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("none") }),
  headerAuthSchema,
  mcpOAuthSchema,
]);
export type McpAuth = z.infer<typeof mcpAuthSchema>;

/** What a person chooses when adding: "oauth" is discovered into the stored "oauth2". */
const addMcpAuthSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("none") }),
  headerAuthSchema,
  z.object({ type: z.literal("oauth") }),
]);

const upstreamUrl = z
  .string()
  .trim()
  .max(2_000)
  // `abort`: the next check reads the URL, which only a URL can be read as.
  .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), {
    message: "an http or https URL",
    abort: true,
  })
  .refine((value) => {
    const url = new URL(value);
    return !url.username && !url.password;
  }, "a URL without a user name or password in it (give credentials as a header)");

export const addMcpAppSchema = z.object({
  name: z.string().trim().min(1).max(100),
  url: upstreamUrl,
  headers: headersSchema.optional(),
  transport: z.enum(transportChoices).default("auto"),
  auth: addMcpAuthSchema.default({ type: "none" }),
  credentials: z.object({ value: headerValue.pipe(z.string().min(1)) }).optional(),
});
export type AddMcpApp = z.infer<typeof addMcpAppSchema>;

export const mcpSourceSchema = z.object({
  url: upstreamUrl,
  transport: z.enum(transportChoices),
});
export type McpSource = z.infer<typeof mcpSourceSchema>;

/** The connection's credentials, as stored for a header-authenticated app. */
export const headerCredentialsSchema = z.object({ value: z.string().min(1) });

/** Parses a person's input or throws AppError "validation_failed" naming the field. */
export function parseAddMcpApp(input: unknown): AddMcpApp {
  const parsed = addMcpAppSchema.safeParse(input);
  if (parsed.success) {
    const { auth, credentials } = parsed.data;
    if (auth.type === "none" && credentials)
      throw new AppError(
        "validation_failed",
        'credentials: given, but auth is {"type":"none"}; say which header carries them (auth: {"type":"header"}).',
      );
    if (auth.type === "oauth" && credentials)
      throw new AppError(
        "validation_failed",
        'credentials: not taken with auth {"type":"oauth"}: each person connects their own account after the app is added.',
      );
    return parsed.data;
  }
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? issue.path.join(".") : "body";
  throw new AppError("validation_failed", `${where}: ${issue?.message ?? "invalid"}`, {
    issues: parsed.error.issues.map((item) => ({ path: item.path.join("."), message: item.message })),
  });
}

/** A stored app's source and auth, checked (a row written by another version could differ). */
export function readMcpApp(app: AppRecord): { source: McpSource; auth: McpAuth } {
  const source = mcpSourceSchema.safeParse(app.source);
  const auth = mcpAuthSchema.safeParse(app.auth);
  if (!source.success || !auth.success)
    throw new AppError(
      "internal_error",
      `The app "${app.name}" has a stored definition this version cannot read.`,
    );
  return { source: source.data, auth: auth.data };
}

/** The header a connection's credential goes in, with its scheme. */
export function credentialHeader(
  auth: McpAuth | z.infer<typeof headerAuthSchema>,
  value: string,
): Record<string, string> {
  if (auth.type !== "header") return {};
  return { [auth.header]: auth.scheme ? `${auth.scheme} ${value}` : value };
}

const oauthCredentialsSchema = z.object({ accessToken: z.string().min(1) });

/** The connection's own credential header: its header value, or its OAuth access token. */
function connectionHeader(auth: McpAuth, credentials: unknown): Record<string, string> {
  if (auth.type === "header") {
    const connection = headerCredentialsSchema.safeParse(credentials);
    return connection.success ? credentialHeader(auth, connection.data.value) : {};
  }
  if (auth.type === "oauth2") {
    const connection = oauthCredentialsSchema.safeParse(credentials);
    return connection.success ? { Authorization: `Bearer ${connection.data.accessToken}` } : {};
  }
  return {};
}

/** Every request's headers: the app's own, then the connection's credential (which wins). */
export function upstreamHeaders(
  appHeaders: Record<string, string>,
  auth: McpAuth,
  credentials: unknown,
): Record<string, string> {
  const headers: Record<string, string> = {};
  const credential = connectionHeader(auth, credentials);
  const credentialNames = new Set(Object.keys(credential).map((name) => name.toLowerCase()));
  // An OAuth app's Authorization is only ever its connection's token, never one of the app's headers.
  if (auth.type === "oauth2") credentialNames.add("authorization");
  for (const [name, value] of Object.entries(appHeaders))
    if (!credentialNames.has(name.toLowerCase())) headers[name] = value;
  return { ...headers, ...credential };
}
