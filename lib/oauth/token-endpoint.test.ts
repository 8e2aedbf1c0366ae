// The token request an OAuth client sends: a confidential client's secret in the form or as HTTP
// Basic, a public client's id alone, the resource indicator when the app has one; and an added
// app's token endpoint, which came from its upstream, checked like any user-supplied URL.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { setEnv } from "@/env";
import type { OAuth2Definition } from "@/integrations/sdk/define";
import type { OAuthClient } from "./client-config";
import { requestTokens, TokenEndpointError } from "./token-endpoint";

type Received = { form: URLSearchParams; authorization: string | undefined };

let server: Server;
let tokenUrl: string;
let received: Received[] = [];

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = "";
    request.on("data", (chunk: Buffer) => {
      body += chunk.toString("utf8");
    });
    request.on("end", () => resolve(body));
  });
}

beforeAll(async () => {
  server = createServer(async (request, response) => {
    received.push({
      form: new URLSearchParams(await readBody(request)),
      authorization: request.headers.authorization,
    });
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ access_token: "access-1", token_type: "Bearer", expires_in: 3600 }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  tokenUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  received = [];
  setEnv({ HTTP_ALLOWED_PRIVATE_CIDRS: "" });
});

function clientOf(
  definition: Partial<OAuth2Definition>,
  client: Pick<OAuthClient, "source"> & { clientSecret?: string },
): OAuthClient {
  return {
    definition: {
      type: "oauth2",
      settingsPrefix: "TEST",
      authorizeUrl: tokenUrl.replace("/token", "/authorize"),
      tokenUrl,
      scopes: [],
      pkce: true,
      ...definition,
    },
    clientId: "client-1",
    authorizeUrl: tokenUrl.replace("/token", "/authorize"),
    tokenUrl,
    ...client,
  };
}

const exchange = { grant_type: "authorization_code", code: "code-1", redirect_uri: "http://app/cb" };

describe("the token request", () => {
  it("sends a confidential client's secret in the form by default", async () => {
    await requestTokens(clientOf({}, { source: "stored", clientSecret: "secret-1" }), exchange);
    expect(received[0]?.form.get("client_id")).toBe("client-1");
    expect(received[0]?.form.get("client_secret")).toBe("secret-1");
    expect(received[0]?.authorization).toBeUndefined();
  });

  it("sends it as HTTP Basic when the app says so, and not in the form", async () => {
    await requestTokens(
      clientOf({ clientAuth: "basic" }, { source: "stored", clientSecret: "secret-1" }),
      exchange,
    );
    expect(received[0]?.authorization).toBe(`Basic ${Buffer.from("client-1:secret-1").toString("base64")}`);
    expect(received[0]?.form.has("client_secret")).toBe(false);
    expect(received[0]?.form.has("client_id")).toBe(false);
  });

  it("sends a public client's id alone", async () => {
    setEnv({ HTTP_ALLOWED_PRIVATE_CIDRS: "127.0.0.1/32" });
    await requestTokens(clientOf({ clientAuth: "none", addedAppId: "app-1" }, { source: "app" }), exchange);
    expect(received[0]?.form.get("client_id")).toBe("client-1");
    expect(received[0]?.form.has("client_secret")).toBe(false);
    expect(received[0]?.authorization).toBeUndefined();
  });

  it("carries the resource indicator on code exchanges and refreshes", async () => {
    setEnv({ HTTP_ALLOWED_PRIVATE_CIDRS: "127.0.0.1/32" });
    const client = clientOf(
      { clientAuth: "none", addedAppId: "app-1", resource: "https://mcp.example.com/mcp" },
      { source: "app" },
    );
    await requestTokens(client, exchange);
    await requestTokens(client, { grant_type: "refresh_token", refresh_token: "refresh-1" });
    expect(received.map((request) => request.form.get("resource"))).toEqual([
      "https://mcp.example.com/mcp",
      "https://mcp.example.com/mcp",
    ]);
  });
});

describe("an added app's token endpoint", () => {
  it("is refused at a private address unless an administrator allowed the range", async () => {
    const client = clientOf({ addedAppId: "app-1" }, { source: "app", clientSecret: "secret-1" });
    const refused = await requestTokens(client, exchange).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TokenEndpointError);
    expect((refused as TokenEndpointError).code).toBe("unreachable");
    expect(received).toHaveLength(0);
    setEnv({ HTTP_ALLOWED_PRIVATE_CIDRS: "127.0.0.1/32" });
    await expect(requestTokens(client, exchange)).resolves.toMatchObject({ accessToken: "access-1" });
  });

  it("is not checked for the platform's own configured apps", async () => {
    await expect(
      requestTokens(clientOf({}, { source: "environment", clientSecret: "secret-1" }), exchange),
    ).resolves.toMatchObject({ accessToken: "access-1" });
  });
});
