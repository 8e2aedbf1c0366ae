// The published metadata: the protected resource's at the path-suffixed well-known location,
// S256 as the only PKCE method, public clients only, and a 401 challenge that names the metadata.
import { afterEach, describe, expect, it } from "vitest";
import { getAppUrl, setEnv } from "@/env";
import {
  authorizationServerMetadata,
  bearerChallenge,
  protectedResourceMetadata,
  protectedResourceMetadataUrl,
} from "./metadata";

const originalUrl = getAppUrl();
afterEach(() => setEnv({ APP_URL: originalUrl }));

describe("the authorization metadata", () => {
  it("puts the resource's path after the well-known suffix, under a platform served below a path too", () => {
    setEnv({ APP_URL: "https://tools.example.com/gate" });
    expect(protectedResourceMetadataUrl()).toBe(
      "https://tools.example.com/.well-known/oauth-protected-resource/gate/mcp",
    );
    expect(protectedResourceMetadata()).toMatchObject({
      resource: "https://tools.example.com/gate/mcp",
      authorization_servers: ["https://tools.example.com/gate"],
    });
  });

  it("offers S256 alone, public clients alone, and the code flow alone", () => {
    setEnv({ APP_URL: "https://tools.example.com" });
    const metadata = authorizationServerMetadata();
    expect(metadata.issuer).toBe("https://tools.example.com");
    expect(metadata.code_challenge_methods_supported).toEqual(["S256"]);
    expect(metadata.token_endpoint_auth_methods_supported).toEqual(["none"]);
    expect(metadata.response_types_supported).toEqual(["code"]);
    expect(metadata.token_endpoint.startsWith(`${metadata.issuer}/`)).toBe(true);
  });

  it("challenges with the resource metadata's URL", () => {
    setEnv({ APP_URL: "https://tools.example.com" });
    expect(bearerChallenge("invalid_token")).toBe(
      'Bearer resource_metadata="https://tools.example.com/.well-known/oauth-protected-resource/mcp", scope="mcp", error="invalid_token"',
    );
  });
});
