// An AI app identified by a client ID metadata document: its client_id is an https URL, and the
// platform reads the app's name and redirect URIs from the JSON published there, over real TLS
// (a loopback server whose certificate the run trusts, test/helpers/tls.ts) and through the
// guarded client, which reaches the loopback only because HTTP_ALLOWED_PRIVATE_CIDRS allows it
// here. A document that is not the client's own (another client_id), not JSON, too large, or
// that does not list the redirect URI asked for is refused to the person, with a message that
// says which, and never redirected to: the redirect URI cannot be trusted.
import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { setEnv } from "@/env";
import {
  type ReadAuthorizationRequest,
  readAuthorizationRequest,
} from "@/lib/authorization-server/authorization-request";
import { mcpResource } from "@/lib/authorization-server/metadata";
import { getDb } from "@/lib/db/client";
import { type ClientMetadataHost, startClientMetadataHost } from "../emulators/client-metadata";
import { closeTestConnections } from "../helpers/teardown";

const redirectUri = "https://app.example.com/oauth/callback";
const challenge = createHash("sha256").update(randomBytes(32).toString("base64url")).digest("base64url");

let host: ClientMetadataHost;
const allowedBefore = process.env.HTTP_ALLOWED_PRIVATE_CIDRS ?? "";

beforeAll(async () => {
  host = await startClientMetadataHost();
});

beforeEach(() => {
  setEnv({ HTTP_ALLOWED_PRIVATE_CIDRS: "127.0.0.1/32" });
});

afterAll(async () => {
  setEnv({ HTTP_ALLOWED_PRIVATE_CIDRS: allowedBefore });
  await host?.stop();
  await closeTestConnections();
});

/** A name no other run of this file has used, so no stored client answers in its place. */
const fresh = (label: string) => `${label}-${randomBytes(4).toString("hex")}`;

function authorize(clientId: string, uri = redirectUri): Promise<ReadAuthorizationRequest> {
  return readAuthorizationRequest(
    new URLSearchParams({
      client_id: clientId,
      redirect_uri: uri,
      response_type: "code",
      code_challenge: challenge,
      code_challenge_method: "S256",
      state: "xyz",
      resource: mcpResource(),
    }),
  );
}

/** The refusal shown to the person: no location to send them to, only a message. */
function messageOf(read: ReadAuthorizationRequest): string {
  expect(read.outcome).toBe("unanswerable");
  expect(read).not.toHaveProperty("location");
  return read.outcome === "unanswerable" ? read.message : "";
}

describe("a client ID metadata document over https", () => {
  it("names the app and its redirect URIs, fetched once an hour", async () => {
    const clientId = host.publishDocument(fresh("notes"), {
      client_name: "Notes Desktop",
      redirect_uris: [redirectUri],
      client_uri: "https://app.example.com",
    });
    const read = await authorize(clientId);
    expect(read.outcome).toBe("valid");
    if (read.outcome !== "valid") return;
    expect(read.client).toMatchObject({
      clientId,
      kind: "metadata_document",
      name: "Notes Desktop",
      redirectUris: [redirectUri],
      clientUri: "https://app.example.com",
    });
    expect(read.request).toMatchObject({ clientId, redirectUri, state: "xyz" });
    const fetched = host
      .requestsTo("GET /clients/:file")
      .filter((request) => clientId.endsWith(request.path));
    expect(fetched).toHaveLength(1);
    expect(fetched[0]?.headers.accept).toBe("application/json");

    // Within the hour the stored copy answers; the document is not fetched again.
    expect((await authorize(clientId)).outcome).toBe("valid");
    expect(host.requests.filter((request) => clientId.endsWith(request.path))).toHaveLength(1);
    const stored = await getDb().mcpClient.findUniqueOrThrow({ where: { clientId } });
    expect(stored.metadataFetchedAt).not.toBeNull();
  });

  it("is refused when it names another client_id than its own URL", async () => {
    const name = fresh("impostor");
    const clientId = host.publish(name, {
      json: {
        client_id: "https://trusted.example.com/client.json",
        client_name: "Trusted App",
        redirect_uris: [redirectUri],
      },
    });
    expect(messageOf(await authorize(clientId))).toBe(
      "The client's metadata document names another client_id than its own URL.",
    );
    expect(await getDb().mcpClient.findUnique({ where: { clientId } })).toBeNull();
  });

  it("is refused when it is not JSON", async () => {
    const clientId = host.publish(fresh("html"), {
      text: "<!doctype html><title>Notes</title><p>Welcome!</p>",
      headers: { "content-type": "text/html" },
    });
    const message = messageOf(await authorize(clientId));
    expect(message).toContain(`The client's metadata document at ${clientId} could not be read`);
    expect(message).toMatch(/is not valid JSON$/);
  });

  it("is refused when it is larger than the cap, declared or not", async () => {
    const oversized = (name: string) => ({
      client_id: host.urlOf(name),
      client_name: "Padded",
      redirect_uris: [redirectUri],
      padding: "x".repeat(20_000),
    });
    const declared = fresh("declared");
    const declaredBody = oversized(declared);
    const declaredId = host.publish(declared, {
      json: declaredBody,
      headers: { "content-length": String(Buffer.byteLength(JSON.stringify(declaredBody))) },
    });
    expect(messageOf(await authorize(declaredId))).toMatch(/could not be read: .*larger than 16384 bytes/);

    // No Content-Length (the emulator sends it chunked): the cap is counted as the body arrives.
    const streamed = fresh("streamed");
    const streamedId = host.publish(streamed, { json: oversized(streamed) });
    expect(messageOf(await authorize(streamedId))).toMatch(/could not be read: .*larger than 16384 bytes/);
  });

  it("is refused when the redirect URI asked for is not one it lists", async () => {
    const clientId = host.publishDocument(fresh("listed"), {
      client_name: "Listed App",
      redirect_uris: [redirectUri],
    });
    for (const uri of ["https://attacker.example/callback", `${redirectUri}/`, `${redirectUri}?next=x`])
      expect(messageOf(await authorize(clientId, uri))).toBe(
        `The redirect URI ${uri} is not one that Listed App registered.`,
      );
  });

  it("is not fetched from the loopback unless an administrator allows it", async () => {
    setEnv({ HTTP_ALLOWED_PRIVATE_CIDRS: "" });
    const clientId = host.publishDocument(fresh("private"), { redirect_uris: [redirectUri] });
    const before = host.requests.length;
    expect(messageOf(await authorize(clientId))).toMatch(/could not be read: .*not allowed/);
    expect(host.requests.length).toBe(before);
  });
});
