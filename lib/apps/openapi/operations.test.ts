import { describe, expect, it } from "vitest";
import type { OpenApiDocument } from "./load-document";
import { actionOfOperation, listOperations, pickOperations, UnsupportedBodyError } from "./operations";

const api: OpenApiDocument = {
  openapi: "3.0.3",
  paths: {
    "/files/{id}": {
      parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
      put: {
        operationId: "putFile",
        tags: ["files"],
        parameters: [
          { name: "Content-Type", in: "header", schema: { type: "string" } },
          { name: "Authorization", in: "header", schema: { type: "string" } },
          { name: "If-Match", in: "header", required: true, schema: { type: "string" } },
          { name: "body", in: "query", schema: { type: "string" } },
        ],
        requestBody: { required: true, content: { "text/plain": { schema: { type: "string" } } } },
      },
    },
    "/files": { head: { summary: "Count files" }, options: {} },
  },
};

describe("actionOfOperation", () => {
  it("leaves out headers the body and the scheme set, and names a body that meets a parameter", () => {
    const [put] = listOperations(api);
    const action = actionOfOperation(put!);
    expect(Object.keys(action.inputSchema?.properties as object)).toEqual([
      "id",
      "If-Match",
      "body",
      "request_body",
    ]);
    expect(action.inputSchema?.required).toEqual(["id", "If-Match", "request_body"]);
    expect(action.invoke).toMatchObject({ body: { contentType: "text/plain", property: "request_body" } });
    expect(action.annotations).toMatchObject({ readOnly: false, idempotent: true, destructive: true });
  });

  it('names an operation without an operationId "METHOD /path"', () => {
    const names = listOperations(api).map((entry) => entry.name);
    expect(names).toEqual(["putFile", "HEAD /files", "OPTIONS /files"]);
    const head = actionOfOperation(listOperations(api)[1]!);
    expect(head).toMatchObject({ title: "Count files", description: "Count files" });
    expect(head.annotations).toMatchObject({ readOnly: true });
  });
});

describe("actionOfOperation's bodies", () => {
  const withBody = (required: boolean) =>
    listOperations({
      openapi: "3.0.3",
      paths: {
        "/uploads": {
          post: {
            operationId: "upload",
            requestBody: { required, content: { "multipart/form-data": { schema: { type: "object" } } } },
          },
        },
      },
    })[0]!;

  it("refuses an operation whose required body cannot be sent, and leaves out an optional one", () => {
    expect(() => actionOfOperation(withBody(true))).toThrow(UnsupportedBodyError);
    expect(actionOfOperation(withBody(false)).invoke).not.toHaveProperty("body");
  });
});

describe("pickOperations", () => {
  it("picks by name, by method and path in any case, and by tag, without duplicates", () => {
    const all = listOperations(api);
    expect(
      pickOperations(all, { operations: ["head /files", "putFile"], tags: ["files"] }).map(
        (entry) => entry.name,
      ),
    ).toEqual(["putFile", "HEAD /files"]);
    expect(() => pickOperations(all, { tags: ["pets"] })).toThrow(/No operation has the tag "pets"/);
  });
});
