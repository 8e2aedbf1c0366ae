import { describe, expect, it } from "vitest";
import type { OpenApiDocument } from "./load-document";
import { listOperations } from "./operations";
import { authDefinitionOf, chooseAuth, credentialHeaders, credentialParameter } from "./security";

const api: OpenApiDocument = {
  openapi: "3.1.0",
  security: [{ oauth: [] }, { key: [] }],
  components: {
    securitySchemes: {
      oauth: { type: "oauth2", flows: {} },
      key: { type: "apiKey", in: "query", name: "api_key" },
      basic: { type: "http", scheme: "basic" },
      mutual: { type: "mutualTLS" },
    },
  },
  paths: {
    "/a": { get: { operationId: "a", security: [{ basic: [] }] } },
    "/b": { get: { operationId: "b" } },
  },
};

const context = { signal: AbortSignal.timeout(10_000) };

describe("chooseAuth", () => {
  it("takes the picked operations' scheme first, then the document's", async () => {
    const operations = listOperations(api);
    expect(await chooseAuth(api, operations, undefined, context)).toEqual({ type: "basic", scheme: "basic" });
    expect(await chooseAuth(api, operations.slice(1), undefined, context)).toEqual({
      type: "bearer",
      scheme: "oauth",
      oauth: true,
    });
  });

  it("takes a scheme the person names, and refuses one it cannot use", async () => {
    expect(await chooseAuth(api, [], { scheme: "key" }, context)).toEqual({
      type: "api_key",
      in: "query",
      name: "api_key",
      scheme: "key",
    });
    await expect(chooseAuth(api, [], { scheme: "mutual" }, context)).rejects.toThrow(/not supported/);
    await expect(chooseAuth(api, [], { scheme: "nope" }, context)).rejects.toThrow(
      /no security scheme "nope"/,
    );
  });
});

// Public literal addresses: the address check needs no name lookup here.
const codeFlowApi: OpenApiDocument = {
  openapi: "3.1.0",
  security: [{ code: ["notes:read"] }],
  components: {
    securitySchemes: {
      code: {
        type: "oauth2",
        flows: {
          implicit: { authorizationUrl: "https://93.184.215.14/implicit", scopes: {} },
          authorizationCode: {
            authorizationUrl: "/oauth/authorize",
            tokenUrl: "https://93.184.215.14/oauth/token",
            scopes: { "notes:read": "", "notes:write": "" },
          },
        },
      },
      implicitOnly: {
        type: "oauth2",
        flows: { implicit: { authorizationUrl: "https://93.184.215.14/implicit", scopes: {} } },
      },
    },
  },
  paths: {
    "/notes": {
      get: { operationId: "listNotes" },
      post: { operationId: "createNote", security: [{ code: ["notes:write", "notes:read"] }] },
    },
    "/public": { get: { operationId: "ping", security: [] } },
  },
};

describe("chooseAuth with OAuth 2", () => {
  const documentUrl = "https://93.184.215.14/specs/notes.yaml";

  it("signs in with the authorization code flow: endpoints resolved against the document, the picked operations' scopes", async () => {
    const operations = listOperations(codeFlowApi);
    expect(await chooseAuth(codeFlowApi, operations, undefined, { ...context, documentUrl })).toEqual({
      type: "oauth2",
      authorizeUrl: "https://93.184.215.14/oauth/authorize",
      tokenUrl: "https://93.184.215.14/oauth/token",
      scopes: ["notes:read", "notes:write"],
      clientAuth: "body",
      scheme: "code",
    });
    const readOnly = operations.filter((entry) => entry.name !== "createNote");
    const auth = await chooseAuth(
      codeFlowApi,
      readOnly,
      { scheme: "code", clientAuth: "basic" },
      {
        ...context,
        documentUrl,
      },
    );
    expect(auth).toMatchObject({ scopes: ["notes:read"], clientAuth: "basic" });
  });

  it("keeps the pasted token for other flows, and when the person asks for it", async () => {
    expect(await chooseAuth(codeFlowApi, [], { scheme: "implicitOnly" }, context)).toEqual({
      type: "bearer",
      scheme: "implicitOnly",
      oauth: true,
    });
    expect(await chooseAuth(codeFlowApi, [], { scheme: "code", pastedToken: true }, context)).toEqual({
      type: "bearer",
      scheme: "code",
      oauth: true,
    });
  });

  it("refuses a relative endpoint in an uploaded description, and endpoints at private addresses", async () => {
    await expect(chooseAuth(codeFlowApi, listOperations(codeFlowApi), undefined, context)).rejects.toThrow(
      /authorizationUrl "\/oauth\/authorize" is not a full URL/,
    );
    await expect(
      chooseAuth(codeFlowApi, [], undefined, { ...context, documentUrl: "http://169.254.169.254/spec.yaml" }),
    ).rejects.toThrow(/OAuth authorization URL http:\/\/169\.254\.169\.254\/oauth\/authorize is refused/);
  });
});

describe("credentials", () => {
  it("puts each kind where its scheme says", () => {
    expect(credentialHeaders({ type: "basic" }, { username: "sk_1", password: "" })).toEqual({
      authorization: `Basic ${Buffer.from("sk_1:").toString("base64")}`,
    });
    expect(credentialHeaders({ type: "api_key", in: "header", name: "X-Key" }, { apiKey: "k" })).toEqual({
      "X-Key": "k",
    });
    expect(credentialHeaders({ type: "api_key", in: "query", name: "key" }, { apiKey: "k" })).toEqual({});
    expect(credentialParameter({ type: "api_key", in: "query", name: "key" }, { apiKey: "k" })).toEqual({
      in: "query",
      name: "key",
      value: "k",
    });
    expect(credentialHeaders({ type: "bearer" }, undefined)).toEqual({});
  });

  it("asks each connection for the scheme's fields, and its base URL when the app says so", () => {
    expect(authDefinitionOf({ type: "none" }, false)).toEqual({ type: "none" });
    expect(authDefinitionOf({ type: "none" }, true)).toMatchObject({
      type: "api_key",
      fields: [{ name: "baseUrl" }],
    });
    expect(authDefinitionOf({ type: "basic" }, false)).toMatchObject({
      type: "basic",
      fields: [{ name: "username" }, { name: "password", secret: true }],
    });
  });
});
