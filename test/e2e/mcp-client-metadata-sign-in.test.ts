// An AI app that identifies itself with a client ID metadata document signs in end to end against
// `npm start`: the SDK's OAuth client with `clientMetadataUrl` sees the authorization server's
// client_id_metadata_document_supported, uses the document's https URL as its client_id instead
// of registering, and the platform fetches the document over real TLS from the app's "website" (a
// loopback server whose certificate the run trusts, test/helpers/tls.ts; the loopback is reachable
// because HTTP_ALLOWED_PRIVATE_CIDRS allows it, as an administrator would). The consent page
// names the app as the document does and says where its details are published. A request that
// the document does not back is shown to the person and never sent back to the app. The person is
// signed in already (the signed-out path through the sign-in page is test/e2e/mcp-sign-in.test.ts's).
// Screenshots go to test-results/screenshots/mcp-client-metadata-*.png.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { type ClientMetadataHost, startClientMetadataHost } from "../emulators/client-metadata";
import { expectNoSeriousAxeViolations, launchChromium, signedInContext } from "../helpers/browser";
import { createTenant, type Tenant, textOf } from "../helpers/mcp";
import {
  type LoopbackCallback,
  MemoryOAuthProvider,
  startLoopbackCallback,
} from "../helpers/mcp-oauth-client";
import { type RunningPlatform, startPlatform, stopStartedPlatforms } from "../helpers/platform";
import { closeTestConnections } from "../helpers/teardown";

const password = "correct horse battery";
const screenshots = path.resolve(import.meta.dirname, "../../test-results/screenshots");
let platform: RunningPlatform;
let host: ClientMetadataHost;
let browser: Browser;
let context: BrowserContext;
let callback: LoopbackCallback;
let ada: Tenant;

beforeAll(async () => {
  [platform, host, browser, callback, ada] = await Promise.all([
    startPlatform({ env: { HTTP_ALLOWED_PRIVATE_CIDRS: "127.0.0.1/32" } }),
    startClientMetadataHost(),
    launchChromium(),
    startLoopbackCallback(),
    createTenant("http://placeholder", "cimd"),
  ]);
  context = await signedInContext(browser, platform.url, { email: ada.email, password });
  context.setDefaultTimeout(30_000);
  await mkdir(screenshots, { recursive: true });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([callback?.close(), host?.stop()]);
  await stopStartedPlatforms();
  await closeTestConnections();
});

function connectWith(provider: MemoryOAuthProvider) {
  const transport = new StreamableHTTPClientTransport(new URL(`${platform.url}/mcp`), {
    authProvider: provider,
  });
  return { client: new Client({ name: "cimd-tests", version: "1.0.0" }), transport };
}

/** A document for the app, listing the loopback callback as its redirect URI. */
function publishApp(name: string, clientName: string): string {
  return host.publishDocument(name, {
    client_name: clientName,
    redirect_uris: [callback.redirectUrl],
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    token_endpoint_auth_method: "none",
  });
}

describe("signing in with a client ID metadata document", () => {
  const documentRequests = (clientId: string) =>
    host.requestsTo("GET /clients/:file").filter((request) => clientId.endsWith(request.path));

  it("uses the document's URL as client_id, names the app on the consent page, and gets tokens", async () => {
    const clientId = publishApp("notes-desktop", "Notes Desktop");
    const provider = new MemoryOAuthProvider(callback.redirectUrl, "Not the document's name", clientId);
    const registrationsBefore = await getDb().mcpClient.count({ where: { kind: "registration" } });
    const { client, transport } = connectWith(provider);
    await expect(client.connect(transport)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(provider.client?.client_id).toBe(clientId);
    const authorizationUrl = provider.authorizationUrls[0];
    expect(authorizationUrl?.searchParams.get("client_id")).toBe(clientId);
    expect(await getDb().mcpClient.count({ where: { kind: "registration" } })).toBe(registrationsBefore);

    const page = await context.newPage();
    await page.goto(authorizationUrl?.toString() ?? "");
    await page.getByRole("heading", { name: "Allow Notes Desktop to use your tools?" }).waitFor();
    const published = page.getByText("Its details are published at");
    expect(await published.textContent()).toBe(`Its details are published at ${new URL(clientId).host}.`);
    expect(await page.getByText("The app registered itself").count()).toBe(0);
    expect(documentRequests(clientId).length).toBeGreaterThanOrEqual(1);
    await expectNoSeriousAxeViolations(page);
    await page.screenshot({
      path: path.join(screenshots, "mcp-client-metadata-consent.png"),
      fullPage: true,
    });
    await page.getByRole("radio", { name: /^cimd server ·/ }).check();
    await page.getByRole("button", { name: "Allow", exact: true }).click();
    const answer = await callback.next();
    await page.close();
    expect(answer.error).toBeUndefined();
    expect(answer.iss).toBe(platform.url);
    await transport.finishAuth(answer.code ?? "");
    expect(provider.saved?.access_token).toMatch(/^tga_/);

    const stored = await getDb().mcpClient.findUniqueOrThrow({
      where: { clientId },
      include: { grants: true },
    });
    expect(stored).toMatchObject({ kind: "metadata_document", name: "Notes Desktop" });
    expect(stored.grants.map((grant) => grant.serverId)).toEqual([ada.serverId]);

    const signedIn = connectWith(provider);
    await signedIn.client.connect(signedIn.transport);
    try {
      const { tools } = await signedIn.client.listTools();
      expect(tools.map((tool) => tool.name)).toContain("formatter_transform_text");
      const result = await signedIn.client.callTool({
        name: "formatter_transform_text",
        arguments: { text: "published", operation: "uppercase" },
      });
      expect(textOf(result)).toContain("PUBLISHED");
    } finally {
      await signedIn.client.close();
    }
  }, 120_000);

  it("shows the person a document that names another client_id, and sends nothing back", async () => {
    const name = "impostor";
    const clientId = host.publish(name, {
      json: {
        client_id: "https://trusted.example.com/client.json",
        client_name: "Trusted App",
        redirect_uris: [callback.redirectUrl],
      },
    });
    const provider = new MemoryOAuthProvider(callback.redirectUrl, "Impostor", clientId);
    const { client, transport } = connectWith(provider);
    await expect(client.connect(transport)).rejects.toBeInstanceOf(UnauthorizedError);
    const page = await context.newPage();
    await page.goto(provider.authorizationUrls[0]?.toString() ?? "");
    await page.getByRole("heading", { name: "This sign-in request cannot be used" }).waitFor();
    expect(
      await page
        .getByText("The client's metadata document names another client_id than its own URL.")
        .count(),
    ).toBe(1);
    expect(new URL(page.url()).origin).toBe(platform.url);
    expect(await page.getByText("Trusted App").count()).toBe(0);
    await page.screenshot({
      path: path.join(screenshots, "mcp-client-metadata-refused.png"),
      fullPage: true,
    });
    await page.close();
    expect(await getDb().mcpClient.findUnique({ where: { clientId } })).toBeNull();
  }, 60_000);

  it("shows the person a redirect URI that the document does not list, and sends nothing there", async () => {
    const clientId = publishApp("listed", "Listed App");
    const provider = new MemoryOAuthProvider(callback.redirectUrl, "Listed", clientId);
    const { client, transport } = connectWith(provider);
    await expect(client.connect(transport)).rejects.toBeInstanceOf(UnauthorizedError);
    const elsewhere = new URL(callback.redirectUrl);
    elsewhere.pathname = "/elsewhere";
    const authorizationUrl = new URL(provider.authorizationUrls[0]?.toString() ?? "");
    authorizationUrl.searchParams.set("redirect_uri", elsewhere.toString());
    const page = await context.newPage();
    await page.goto(authorizationUrl.toString());
    await page.getByRole("heading", { name: "This sign-in request cannot be used" }).waitFor();
    expect(
      await page.getByText(`The redirect URI ${elsewhere} is not one that Listed App registered.`).count(),
    ).toBe(1);
    expect(new URL(page.url()).origin).toBe(platform.url);
    await page.close();
  }, 60_000);
});
