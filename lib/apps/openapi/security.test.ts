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

describe("chooseAuth", () => {
  it("takes the picked operations' scheme first, then the document's", () => {
    const operations = listOperations(api);
    expect(chooseAuth(api, operations, undefined)).toEqual({ type: "basic", scheme: "basic" });
    expect(chooseAuth(api, operations.slice(1), undefined)).toEqual({
      type: "bearer",
      scheme: "oauth",
      oauth: true,
    });
  });

  it("takes a scheme the person names, and refuses one it cannot use", () => {
    expect(chooseAuth(api, [], { scheme: "key" })).toEqual({
      type: "api_key",
      in: "query",
      name: "api_key",
      scheme: "key",
    });
    expect(() => chooseAuth(api, [], { scheme: "mutual" })).toThrow(/not supported/);
    expect(() => chooseAuth(api, [], { scheme: "nope" })).toThrow(/no security scheme "nope"/);
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
