// An upstream MCP tool's content reaches our client as the upstream sent it: image, audio and
// embedded-resource blocks (and a mix of them with text), through our URL on a platform started
// with `npm start`, the call queued and run by its worker, with the SDK's client. The upstream is
// the conformance fixture server (bench/conformance-upstream.ts) on loopback, added as an MCP app.
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setEnv } from "@/env";
import { getDb } from "@/lib/db/client";
import { createUser } from "@/lib/users/create-user";
import {
  type ConformanceUpstream,
  embeddedResource,
  redPixelPng,
  silentWavBase64,
  startConformanceUpstream,
} from "../../bench/conformance-upstream";
import { addUpstreamApp, createServerOfApp } from "../../bench/conformance-upstream-app";
import { connectClient, secretOfUrl, uniqueEmail } from "../helpers/mcp";
import { type RunningPlatform, startPlatform } from "../helpers/platform";
import { closeTestConnections } from "../helpers/teardown";

const allowLoopback = { HTTP_ALLOWED_PRIVATE_CIDRS: "127.0.0.1/32" };

let upstream: ConformanceUpstream;
let platform: RunningPlatform;
let client: Client;
let userId: string;

beforeAll(async () => {
  // This process reads the upstream when adding the app; the platform's worker calls it.
  setEnv(allowLoopback);
  upstream = await startConformanceUpstream();
  platform = await startPlatform({ env: allowLoopback });
  const user = await createUser({ email: uniqueEmail("content"), password: "correct horse battery" });
  userId = user.id;
  const { slug, keys } = await addUpstreamApp(userId, "Fixtures", upstream.url);
  const server = await createServerOfApp(userId, slug, keys, "content passthrough");
  client = await connectClient(platform.url, secretOfUrl(server.url));
}, 240_000);

afterAll(async () => {
  await client?.close();
  await platform?.stop();
  await upstream?.stop();
  await closeTestConnections();
});

describe("an upstream tool's content through our URL", () => {
  it("lists the upstream's tools under the names given", async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(
      expect.arrayContaining(["test_image_content", "test_audio_content", "test_embedded_resource"]),
    );
  });

  it("returns an image as an image block", async () => {
    const result = await client.callTool({ name: "test_image_content", arguments: {} });
    expect(result).toEqual({ content: [{ type: "image", data: redPixelPng, mimeType: "image/png" }] });
  });

  it("returns audio as an audio block", async () => {
    const result = await client.callTool({ name: "test_audio_content", arguments: {} });
    expect(result).toEqual({ content: [{ type: "audio", data: silentWavBase64, mimeType: "audio/wav" }] });
  });

  it("returns an embedded resource as a resource block", async () => {
    const result = await client.callTool({ name: "test_embedded_resource", arguments: {} });
    expect(result).toEqual({ content: [{ type: "resource", resource: embeddedResource }] });
  });

  it("keeps several blocks of different kinds, in order", async () => {
    const result = await client.callTool({ name: "test_multiple_content_types", arguments: {} });
    expect(result).toEqual({
      content: [
        { type: "text", text: "Multiple content types test:" },
        { type: "image", data: redPixelPng, mimeType: "image/png" },
        {
          type: "resource",
          resource: {
            uri: "test://mixed-content-resource",
            mimeType: "application/json",
            text: '{"test":"data","value":123}',
          },
        },
      ],
    });
  });

  it("gives the upstream's tool error as a tool error, and records each call in the history", async () => {
    const result = await client.callTool({ name: "test_error_handling", arguments: {} });
    expect(result).toEqual({
      isError: true,
      content: [{ type: "text", text: "This tool intentionally returns an error for testing" }],
    });
    const calls = await getDb().call.findMany({ where: { userId }, select: { status: true, output: true } });
    expect(calls.filter((call) => call.status === "ERROR")).toHaveLength(1);
    expect(calls.map((call) => call.output)).toContainEqual({
      $mcp: { content: [{ type: "audio", data: silentWavBase64, mimeType: "audio/wav" }] },
    });
  });

  it("relays the upstream's log messages during a call, at the level the session asked for", async () => {
    const received: { level: string; logger?: string; data: unknown }[] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
      received.push(notification.params);
    });
    await client.setLoggingLevel("warning");
    await client.callTool({ name: "test_tool_with_logging", arguments: {} });
    expect(received.filter((entry) => entry.logger === "conformance-fixtures")).toEqual([]);

    await client.setLoggingLevel("debug");
    await client.callTool({ name: "test_tool_with_logging", arguments: {} });
    expect(received.filter((entry) => entry.logger === "conformance-fixtures")).toEqual([
      { level: "info", logger: "conformance-fixtures", data: "Tool execution started" },
      { level: "info", logger: "conformance-fixtures", data: "Tool processing data" },
      { level: "info", logger: "conformance-fixtures", data: "Tool execution completed" },
    ]);
  });
});
