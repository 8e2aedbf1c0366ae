// The AI apps that may ask for access. Two ways in, as the MCP specification orders them: a client
// ID metadata document (the client_id is an https URL whose JSON describes the client; fetched
// through the guarded client, refreshed hourly) and dynamic client registration (RFC 7591). Both
// make public clients (no secret: PKCE S256 protects the code). Registration cannot fill the
// database: each address may register a few clients an hour, registrations nobody signed in with
// are removed after a day, and their number is capped.
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { hitRateLimit } from "@/lib/auth/rate-limit";
import { getDb } from "@/lib/db/client";
import { guardedFetch } from "@/lib/http/guarded-fetch";
import { OAuthError } from "./oauth-error";
import { redirectUriProblem } from "./redirect-uris";

// Hosted AI apps (Claude, ChatGPT) register a client for each person who connects, all from the
// app's own servers: the limit per address must leave room for a busy hour of a whole team.
export const registrationsPerAddressPerHour = 100;
/** Registrations without a grant, platform-wide, beyond which registration pauses. */
export const maxUnusedRegistrations = 10_000;
const unusedRegistrationLifetimeMs = 24 * 60 * 60_000;
const metadataLifetimeMs = 60 * 60_000;
const metadataMaxBytes = 16_384;

const httpsUrl = z
  .string()
  .max(2_000)
  .refine((value) => URL.canParse(value) && new URL(value).protocol === "https:", "an https URL");

const clientMetadataSchema = z.object({
  client_name: z.string().trim().min(1).max(100).optional(),
  redirect_uris: z.array(z.string()).min(1, "at least one redirect URI").max(10, "at most 10 redirect URIs"),
  grant_types: z
    .array(z.enum(["authorization_code", "refresh_token"], "only authorization_code and refresh_token"))
    .optional(),
  response_types: z.array(z.literal("code", "only the code response type")).optional(),
  // A confidential method asked for is answered with "none": the client is told it is public.
  token_endpoint_auth_method: z.string().max(100).optional(),
  client_uri: httpsUrl.optional(),
  logo_uri: httpsUrl.optional(),
  scope: z.string().max(1_000).optional(),
  software_id: z.string().max(200).optional(),
  software_version: z.string().max(100).optional(),
});
type ClientMetadata = z.infer<typeof clientMetadataSchema>;

export type RegisteredClient = {
  id: string;
  clientId: string;
  kind: "registration" | "metadata_document";
  name: string;
  redirectUris: string[];
  clientUri: string | null;
  logoUri: string | null;
};

function parseMetadata(input: unknown): ClientMetadata {
  const parsed = clientMetadataSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join(".") || "body";
    throw new OAuthError("invalid_client_metadata", `${field}: ${issue?.message ?? "invalid"}`);
  }
  for (const uri of parsed.data.redirect_uris) {
    const problem = redirectUriProblem(uri);
    if (problem)
      throw new OAuthError("invalid_redirect_uri", `redirect_uris: "${uri.slice(0, 200)}" ${problem}.`);
  }
  return parsed.data;
}

/** A name to show on the consent page: the client's own, or its redirect host when it gave none. */
function displayName(metadata: ClientMetadata): string {
  if (metadata.client_name) return metadata.client_name;
  const first = metadata.redirect_uris[0] ?? "";
  return URL.canParse(first) ? new URL(first).host || first : "Unnamed app";
}

const addressKey = (address: string) => createHash("sha256").update(address).digest("hex");

/** RFC 7591 §3.2.1: what the client is told about its registration. */
export function registrationResponse(client: RegisteredClient, createdAt: Date) {
  return {
    client_id: client.clientId,
    client_id_issued_at: Math.floor(createdAt.getTime() / 1000),
    client_name: client.name,
    redirect_uris: client.redirectUris,
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    token_endpoint_auth_method: "none",
    ...(client.clientUri && { client_uri: client.clientUri }),
    ...(client.logoUri && { logo_uri: client.logoUri }),
  };
}

const clientSelect = {
  id: true,
  clientId: true,
  kind: true,
  name: true,
  redirectUris: true,
  clientUri: true,
  logoUri: true,
  createdAt: true,
} as const;

/** Dynamic client registration from the client at `address`. */
export async function registerClient(input: unknown, address: string) {
  const metadata = parseMetadata(input);
  const limit = await hitRateLimit(
    { name: "mcp-client-registration", max: registrationsPerAddressPerHour, windowSeconds: 3600 },
    addressKey(address),
  );
  if (!limit.allowed)
    throw new OAuthError(
      "temporarily_unavailable",
      `Too many registrations from this address; try again in ${limit.retryAfterSeconds} s.`,
      429,
    );
  const db = getDb();
  await db.mcpClient.deleteMany({
    where: {
      kind: "registration",
      grants: { none: {} },
      createdAt: { lt: new Date(Date.now() - unusedRegistrationLifetimeMs) },
    },
  });
  const unused = await db.mcpClient.count({ where: { kind: "registration", grants: { none: {} } } });
  if (unused >= maxUnusedRegistrations)
    throw new OAuthError(
      "temporarily_unavailable",
      "Registration is paused: too many unused registrations.",
      503,
    );
  const row = await db.mcpClient.create({
    data: {
      clientId: `tgcl_${randomBytes(16).toString("base64url")}`,
      kind: "registration",
      name: displayName(metadata),
      redirectUris: metadata.redirect_uris,
      clientUri: metadata.client_uri ?? null,
      logoUri: metadata.logo_uri ?? null,
      softwareId: metadata.software_id ?? null,
      softwareVersion: metadata.software_version ?? null,
      registeredFrom: addressKey(address),
    },
    select: clientSelect,
  });
  return registrationResponse(row as RegisteredClient, row.createdAt);
}

/** Whether a client_id names a metadata document (an https URL with a path) rather than a registration. */
export function isMetadataDocumentId(clientId: string): boolean {
  if (!URL.canParse(clientId)) return false;
  const url = new URL(clientId);
  return url.protocol === "https:" && url.pathname !== "/" && !url.hash && !url.username && !url.password;
}

async function fetchMetadataDocument(clientId: string): Promise<ClientMetadata> {
  let body: unknown;
  try {
    const response = await guardedFetch(clientId, {
      headers: { accept: "application/json" },
      timeoutMs: 5_000,
      maxResponseBytes: metadataMaxBytes,
      maxRedirects: 0,
    });
    if (response.status !== 200) throw new Error(`it answered HTTP ${response.status}`);
    body = response.json();
  } catch (error) {
    throw new OAuthError(
      "invalid_client",
      `The client's metadata document at ${clientId} could not be read: ${(error as Error).message}`,
    );
  }
  const documentId = (body as { client_id?: unknown } | null)?.client_id;
  if (documentId !== clientId)
    throw new OAuthError(
      "invalid_client",
      "The client's metadata document names another client_id than its own URL.",
    );
  try {
    return parseMetadata(body);
  } catch (error) {
    throw new OAuthError(
      "invalid_client",
      `The client's metadata document is not valid: ${(error as Error).message}`,
    );
  }
}

/** The client a client_id names: a registered one, or the one its metadata document describes. */
export async function findClient(clientId: string): Promise<RegisteredClient> {
  const db = getDb();
  const stored = await db.mcpClient.findUnique({
    where: { clientId },
    select: { ...clientSelect, metadataFetchedAt: true },
  });
  const fresh =
    stored &&
    (stored.kind === "registration" ||
      (stored.metadataFetchedAt && Date.now() - stored.metadataFetchedAt.getTime() < metadataLifetimeMs));
  if (stored && fresh) return stored as RegisteredClient;
  if (!isMetadataDocumentId(clientId))
    throw new OAuthError("invalid_client", "No client has this client_id.");
  const metadata = await fetchMetadataDocument(clientId);
  const data = {
    name: displayName(metadata),
    redirectUris: metadata.redirect_uris,
    clientUri: metadata.client_uri ?? null,
    logoUri: metadata.logo_uri ?? null,
    softwareId: metadata.software_id ?? null,
    softwareVersion: metadata.software_version ?? null,
    metadataFetchedAt: new Date(),
  };
  const row = await db.mcpClient.upsert({
    where: { clientId },
    create: { clientId, kind: "metadata_document", ...data },
    update: data,
    select: clientSelect,
  });
  return row as RegisteredClient;
}
