// OpenAPI apps whose accounts sign in with OAuth 2, against a local notes API and its
// authorization server: the document's authorization code scheme becomes the app's sign-in (its
// endpoints, the picked operations' scopes), an OpenID Connect scheme's endpoints are discovered
// through the guarded client, endpoints at private or metadata addresses are refused unless an
// administrator allows them (promise 12 in docs/security.md), the pasted-token choice still
// works, and the app's client is set, shown without its secret, kept, replaced and removed by
// whoever manages the app.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setEnv } from "@/env";
import { readAppOAuthClient } from "@/lib/apps/app-oauth";
import { deleteAppOAuthClient, setAppOAuthClient } from "@/lib/apps/app-oauth-client";
import { findApp } from "@/lib/apps/app-registry";
import { createApp, getApp } from "@/lib/apps/manage-apps";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { addMembership, createOrg } from "@/lib/orgs/manage-orgs";
import { notesClient, type OAuthNotes, startOAuthNotes } from "../emulators/oauth-notes";
import { refreshOpenApiApp } from "../fixtures/openapi/added-app";
import { uniqueEmail } from "../helpers/mcp";
import { closeTestConnections } from "../helpers/teardown";

let notes: OAuthNotes;
let userId: string;

beforeAll(async () => {
  setEnv({ HTTP_ALLOWED_PRIVATE_CIDRS: "127.0.0.1/32" });
  notes = await startOAuthNotes();
  userId = (await getDb().user.create({ data: { email: uniqueEmail("openapi-oauth") } })).id;
});

afterAll(async () => {
  await notes?.stop();
  await closeTestConnections();
});

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

/** An uploaded description whose one operation signs in at these endpoints. */
function uploadedWith(authorizationUrl: string, tokenUrl: string) {
  return {
    openapi: "3.0.3",
    info: { title: "Elsewhere", version: "1" },
    servers: [{ url: notes.api.url }],
    security: [{ code: ["read"] }],
    components: {
      securitySchemes: {
        code: { type: "oauth2", flows: { authorizationCode: { authorizationUrl, tokenUrl, scopes: {} } } },
      },
    },
    paths: {
      "/v1/notes": { get: { operationId: "listNotes", responses: { "200": { description: "ok" } } } },
    },
  };
}

describe("an OpenAPI app with an OAuth 2 authorization code scheme", () => {
  let slug: string;

  beforeAll(async () => {
    const added = await createApp(userId, {
      kind: "openapi",
      name: "Notes",
      specUrl: notes.specUrl,
      oauthClient: notesClient,
    });
    slug = added.slug;
  });

  it("stores the document's endpoints and the scopes the picked operations require, with the owner's client", async () => {
    const app = await getDb().app.findFirstOrThrow({ where: { slug }, select: { id: true, auth: true } });
    expect(app.auth).toEqual({
      type: "oauth2",
      authorizeUrl: `${notes.authorization.url}/authorize`,
      tokenUrl: `${notes.authorization.url}/token`,
      scopes: ["notes:read", "notes:write"],
      clientAuth: "body",
      scheme: "notesAuth",
    });
    expect(await readAppOAuthClient(app.id)).toEqual({ ...notesClient, registeredBy: "owner" });
    const stored = await getDb().appOAuthClient.findUniqueOrThrow({ where: { appId: app.id } });
    expect(Buffer.from(stored.secretCiphertext ?? []).toString("latin1")).not.toContain(
      notesClient.clientSecret,
    );
  });

  it("connects with the platform's OAuth flow: PKCE, the app's own client", async () => {
    const integration = await findApp(slug);
    expect(integration?.auth).toMatchObject({
      type: "oauth2",
      authorizeUrl: `${notes.authorization.url}/authorize`,
      tokenUrl: `${notes.authorization.url}/token`,
      scopes: ["notes:read", "notes:write"],
      pkce: true,
      clientAuth: "body",
      addedAppId: expect.any(String),
    });
  });

  it("follows the document on a refresh: endpoints and scopes as they are now, the client kept", async () => {
    const app = await getDb().app.findFirstOrThrow({ where: { slug }, select: { id: true } });
    notes.editDescription((text) =>
      text.replace("- notesAuth: [notes:write, notes:read]", "- notesAuth: [notes:write, notes:admin]"),
    );
    try {
      await refreshOpenApiApp(app.id);
    } finally {
      notes.editDescription((text) => text);
    }
    const after = await getDb().app.findUniqueOrThrow({ where: { id: app.id }, select: { auth: true } });
    expect(after.auth).toMatchObject({
      scopes: ["notes:read", "notes:write", "notes:admin"],
      clientAuth: "body",
    });
    expect((await findApp(slug))?.auth).toMatchObject({
      scopes: ["notes:read", "notes:write", "notes:admin"],
    });
    expect(await readAppOAuthClient(app.id)).toMatchObject({ clientId: notesClient.clientId });

    // A scheme left without an authorization code flow does not turn connections into pasted tokens.
    notes.editDescription((text) => text.replace("authorizationCode:", "x-retired-authorizationCode:"));
    try {
      await refreshOpenApiApp(app.id);
    } finally {
      notes.editDescription((text) => text);
    }
    const kept = await getDb().app.findUniqueOrThrow({ where: { id: app.id }, select: { auth: true } });
    expect(kept.auth).toEqual(after.auth);
  });

  it("imports only the scopes of the operations picked", async () => {
    const added = await createApp(userId, {
      kind: "openapi",
      name: "Notes reader",
      specUrl: notes.specUrl,
      operations: ["listNotes"],
    });
    expect(added.auth).toMatchObject({ type: "oauth2", scopes: ["notes:read"] });
    expect(added.oauthClient).toBeNull();
    expect(added.oauthRedirectUri).toMatch(new RegExp(`/api/oauth/${added.slug}/callback$`));
  });

  it("keeps the pasted access token when the person chooses it, and for other flows", async () => {
    const pasted = await createApp(userId, {
      kind: "openapi",
      name: "Notes by token",
      specUrl: notes.specUrl,
      auth: { scheme: "notesAuth", pastedToken: true },
    });
    expect(pasted.auth).toEqual({ type: "bearer", scheme: "notesAuth", oauth: true });
    expect((await findApp(pasted.slug))?.auth).toMatchObject({
      type: "api_key",
      fields: [expect.objectContaining({ name: "token", label: "OAuth access token" })],
    });
    expect(pasted.oauthRedirectUri).toBeNull();
    const implicit = await createApp(userId, {
      kind: "openapi",
      name: "Notes implicit",
      specUrl: notes.specUrl,
      auth: { scheme: "notesImplicit" },
    });
    expect(implicit.auth).toEqual({ type: "bearer", scheme: "notesImplicit", oauth: true });
  });

  it("refuses an OAuth client for an API that does not sign in with OAuth", async () => {
    const error = await refusal(
      createApp(userId, {
        kind: "openapi",
        name: "Notes by token",
        specUrl: notes.specUrl,
        auth: { scheme: "notesAuth", pastedToken: true },
        oauthClient: notesClient,
      }),
    );
    expect(error.message).toMatch(/oauthClient: this API's connections do not sign in with OAuth/);
  });
});

describe("an OpenID Connect scheme", () => {
  it("takes its endpoints from the discovery document, read through the guarded client", async () => {
    const before = notes.api.requestsTo("GET /.well-known/openid-configuration").length;
    const added = await createApp(userId, {
      kind: "openapi",
      name: "Notes OIDC",
      specUrl: notes.specUrl,
      auth: { scheme: "notesOidc" },
    });
    expect(notes.api.requestsTo("GET /.well-known/openid-configuration")).toHaveLength(before + 1);
    expect(added.auth).toEqual({
      type: "oauth2",
      authorizeUrl: `${notes.authorization.url}/authorize`,
      tokenUrl: `${notes.authorization.url}/token`,
      scopes: ["openid"],
      clientAuth: "basic",
      issuer: notes.api.url,
      scheme: "notesOidc",
      openIdConnectUrl: `${notes.api.url}/.well-known/openid-configuration`,
    });
  });

  it("is refused when the discovery document is at a private address not allowed", async () => {
    setEnv({ HTTP_ALLOWED_PRIVATE_CIDRS: "" });
    try {
      const spec = {
        ...uploadedWith("https://93.184.215.14/authorize", "https://93.184.215.14/token"),
        security: [{ oidc: [] }],
        components: {
          securitySchemes: {
            oidc: {
              type: "openIdConnect",
              openIdConnectUrl: `${notes.api.url}/.well-known/openid-configuration`,
            },
          },
        },
      };
      const before = notes.api.requestsTo("GET /.well-known/openid-configuration").length;
      const error = await refusal(createApp(userId, { kind: "openapi", name: "Private OIDC", spec }));
      expect(error.message).toMatch(/discovery document .* could not be read: Requests to 127\.0\.0\.1/);
      expect(notes.api.requestsTo("GET /.well-known/openid-configuration")).toHaveLength(before);
    } finally {
      setEnv({ HTTP_ALLOWED_PRIVATE_CIDRS: "127.0.0.1/32" });
    }
  });
});

describe("OAuth endpoints at private or metadata addresses (promise 12 in docs/security.md)", () => {
  it("refuses a token URL or authorization URL at the metadata address, in any spelling", async () => {
    for (const [authorizationUrl, tokenUrl, refused] of [
      ["https://93.184.215.14/authorize", "http://169.254.169.254/token", "token URL"],
      ["http://[::ffff:a9fe:a9fe]/authorize", "https://93.184.215.14/token", "authorization URL"],
      ["https://93.184.215.14/authorize", "http://0xa9fea9fe/token", "token URL"],
    ] as const) {
      const error = await refusal(
        createApp(userId, {
          kind: "openapi",
          name: "Metadata",
          spec: uploadedWith(authorizationUrl, tokenUrl),
        }),
      );
      expect(error.code).toBe("validation_failed");
      expect(error.message).toMatch(new RegExp(`The OAuth ${refused} .* is refused: Requests to`));
    }
  });

  it("refuses a private token URL unless an administrator allows its range", async () => {
    const spec = uploadedWith("https://93.184.215.14/authorize", "http://10.20.30.40/token");
    const error = await refusal(createApp(userId, { kind: "openapi", name: "Private", spec }));
    expect(error.message).toMatch(/The OAuth token URL http:\/\/10\.20\.30\.40\/token is refused/);
    setEnv({ HTTP_ALLOWED_PRIVATE_CIDRS: "127.0.0.1/32,10.20.30.0/24" });
    try {
      const added = await createApp(userId, { kind: "openapi", name: "Private", spec });
      expect(added.auth).toMatchObject({ type: "oauth2", tokenUrl: "http://10.20.30.40/token" });
    } finally {
      setEnv({ HTTP_ALLOWED_PRIVATE_CIDRS: "127.0.0.1/32" });
    }
  });
});

describe("PUT and DELETE /apps/{slug}/oauth-client", () => {
  let slug: string;
  let appId: string;

  beforeAll(async () => {
    const added = await createApp(userId, { kind: "openapi", name: "Notes managed", specUrl: notes.specUrl });
    slug = added.slug;
    appId = (await getDb().app.findFirstOrThrow({ where: { slug }, select: { id: true } })).id;
  });

  it("sets the client and shows it without the secret, audited without the secret", async () => {
    const app = await setAppOAuthClient(userId, slug, notesClient);
    expect(app.oauthClient).toEqual({
      clientId: notesClient.clientId,
      registeredBy: "owner",
      secretSet: true,
    });
    expect(JSON.stringify(app)).not.toContain(notesClient.clientSecret);
    expect(JSON.stringify(await getApp(userId, slug))).not.toContain(notesClient.clientSecret);
    const audit = await getDb().auditEvent.findFirstOrThrow({
      where: { action: "app.oauth_client_set", targetId: appId },
    });
    expect(audit.metadata).toMatchObject({ slug, clientId: notesClient.clientId, secretSet: true });
    expect(JSON.stringify(audit)).not.toContain(notesClient.clientSecret);
  });

  it("keeps the stored secret when the ID stays; a new ID without a secret is a public client", async () => {
    await setAppOAuthClient(userId, slug, notesClient);
    await setAppOAuthClient(userId, slug, { clientId: notesClient.clientId, clientSecret: "" });
    expect(await readAppOAuthClient(appId)).toMatchObject(notesClient);
    const app = await setAppOAuthClient(userId, slug, { clientId: "public-client" });
    expect(app.oauthClient).toEqual({ clientId: "public-client", registeredBy: "owner", secretSet: false });
    expect((await readAppOAuthClient(appId))?.clientSecret).toBeUndefined();
  });

  it("names what is wrong with the body", async () => {
    expect((await refusal(setAppOAuthClient(userId, slug, {}))).message).toMatch(/^clientId: /);
    expect((await refusal(setAppOAuthClient(userId, slug, { clientId: "  " }))).message).toBe(
      "clientId: Give the client ID.",
    );
    expect(
      (await refusal(setAppOAuthClient(userId, slug, { clientId: "a", clientSecret: 5 }))).message,
    ).toMatch(/^clientSecret: /);
    expect((await refusal(setAppOAuthClient(userId, slug, { clientId: "a", secret: "x" }))).message).toMatch(
      /Unrecognized key/,
    );
  });

  it("refuses an app that does not sign in with OAuth, another workspace's app, and a member", async () => {
    const pasted = await createApp(userId, {
      kind: "openapi",
      name: "Notes by token",
      specUrl: notes.specUrl,
      auth: { type: "bearer" },
    });
    expect((await refusal(setAppOAuthClient(userId, pasted.slug, notesClient))).code).toBe("conflict");
    const stranger = (await getDb().user.create({ data: { email: uniqueEmail("stranger") } })).id;
    expect((await refusal(setAppOAuthClient(stranger, slug, notesClient))).code).toBe("not_found");
    expect((await refusal(deleteAppOAuthClient(stranger, slug))).code).toBe("not_found");

    const org = await createOrg(userId, "Notes team");
    const orgApp = await createApp(
      { kind: "org", userId, orgId: org.id, orgName: org.name, role: "OWNER" },
      { kind: "openapi", name: "Team notes", specUrl: notes.specUrl },
    );
    const member = (await getDb().user.create({ data: { email: uniqueEmail("member") } })).id;
    await addMembership(getDb(), { orgId: org.id, userId: member, role: "MEMBER" });
    const asMember = {
      kind: "org",
      userId: member,
      orgId: org.id,
      orgName: org.name,
      role: "MEMBER",
    } as const;
    expect((await refusal(setAppOAuthClient(asMember, orgApp.slug, notesClient))).code).toBe("forbidden");
    expect((await getApp(asMember, orgApp.slug)).oauthClient).toBeNull();
  });

  it("removes the client", async () => {
    await setAppOAuthClient(userId, slug, notesClient);
    await deleteAppOAuthClient(userId, slug);
    expect(await readAppOAuthClient(appId)).toBeUndefined();
    expect((await getApp(userId, slug)).oauthClient).toBeNull();
    expect(
      await getDb().auditEvent.count({ where: { action: "app.oauth_client_removed", targetId: appId } }),
    ).toBe(1);
  });
});
