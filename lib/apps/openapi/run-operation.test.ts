import { describe, expect, it } from "vitest";
import type { ApiClient, ApiRequest } from "@/integrations/sdk/http";
import type { OperationInvoke } from "./operations";
import { runOperation } from "./run-operation";

function recordingClient(answer: unknown = { ok: true }, contentType = "application/json") {
  const sent: { path: string; request?: ApiRequest }[] = [];
  const http = {
    baseUrl: "https://api.example.com",
    send: async (path: string, request?: ApiRequest) => {
      sent.push({ path, request });
      return { status: 200, headers: new Headers({ "content-type": contentType }), data: answer };
    },
  } as unknown as ApiClient;
  return { http, sent };
}

const invoke = (
  parameters: OperationInvoke["parameters"],
  body?: OperationInvoke["body"],
): OperationInvoke => ({
  method: "POST",
  path: "/items/{id}",
  parameters: [{ name: "id", in: "path", property: "id" }, ...parameters],
  ...(body && { body }),
});

describe("runOperation", () => {
  it("serializes query parameters by their style", async () => {
    const { http, sent } = recordingClient();
    await runOperation(
      http,
      invoke([
        { name: "tags", in: "query", property: "tags" },
        { name: "ids", in: "query", property: "ids", explode: false },
        { name: "words", in: "query", property: "words", style: "spaceDelimited", explode: false },
        { name: "filter", in: "query", property: "filter", style: "deepObject", explode: true },
        { name: "skip", in: "query", property: "skip" },
      ]),
      { id: "a/b c", tags: ["x", "y"], ids: [1, 2], words: ["p", "q"], filter: { state: "open", n: 2 } },
      { in: "query", name: "key", value: "k&1" },
    );
    const [path, search] = sent[0]!.path.split("?");
    expect(path).toBe("/items/a%2Fb%20c");
    expect([...new URLSearchParams(search)]).toEqual([
      ["tags", "x"],
      ["tags", "y"],
      ["ids", "1,2"],
      ["words", "p q"],
      ["filter[state]", "open"],
      ["filter[n]", "2"],
      ["key", "k&1"],
    ]);
  });

  it("sets header and cookie parameters, and a cookie API key", async () => {
    const { http, sent } = recordingClient();
    await runOperation(
      http,
      invoke([
        { name: "X-Trace", in: "header", property: "trace" },
        { name: "session", in: "cookie", property: "session" },
      ]),
      { id: "1", trace: "t-1", session: "s 1" },
      { in: "cookie", name: "api_key", value: "k1" },
    );
    expect(sent[0]!.request?.headers).toEqual({ "X-Trace": "t-1", cookie: "session=s%201; api_key=k1" });
    await expect(
      runOperation(
        http,
        invoke([{ name: "X-Trace", in: "header", property: "trace" }]),
        { id: "1", trace: "a\r\nb" },
        undefined,
      ),
    ).rejects.toThrow(/line break/);
  });

  it("sends form bodies in bracket notation and JSON bodies as JSON", async () => {
    const { http, sent } = recordingClient();
    const form = { contentType: "application/x-www-form-urlencoded", property: "body" };
    await runOperation(
      http,
      invoke([], form),
      { id: "1", body: { a: 1, meta: { k: "v" }, list: ["x"], none: null } },
      undefined,
    );
    expect(sent[0]!.request?.body).toBe("a=1&meta%5Bk%5D=v&list%5B0%5D=x");
    expect(sent[0]!.request?.headers?.["content-type"]).toBe(form.contentType);
    await runOperation(
      http,
      invoke([], { contentType: "application/json", property: "body" }),
      { id: "1", body: [1] },
      undefined,
    );
    expect(sent[1]!.request?.body).toBe("[1]");
  });

  it("refuses path values that would move the request, and a missing one", async () => {
    const { http } = recordingClient();
    for (const id of ["..", ".", ""])
      await expect(runOperation(http, invoke([]), { id }, undefined)).rejects.toThrow();
    await expect(runOperation(http, invoke([]), {}, undefined)).rejects.toThrow(/"id" is required/);
  });

  it("cuts an answer longer than 20,000 characters", async () => {
    const { http } = recordingClient({ text: "x".repeat(30_000) });
    const result = await runOperation(http, invoke([]), { id: "1" }, undefined);
    expect(result.truncated).toBe(true);
    expect((result.body as string).length).toBe(20_000);
  });

  it("leaves a binary answer out", async () => {
    const { http } = recordingClient("\u0089PNG\r\n", "image/png");
    expect(await runOperation(http, invoke([]), { id: "1" }, undefined)).toEqual({
      status: 200,
      content_type: "image/png",
      body: null,
      truncated: true,
    });
  });
});
