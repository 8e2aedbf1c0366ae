import { describe, expect, it } from "vitest";
import { integrations } from "@/integrations/registry";
import { describeTool } from "@/lib/mcp/build-server";
import { buildToolInputSchema } from "./field-settings";
import { toolAnnotations } from "./tool-annotations";

const http = integrations
  .find((app) => app.slug === "http")!
  .actions.find((action) => action.key === "request")!;

describe("a tool's annotations", () => {
  it("follow the HTTP method a tool fixes, and stay the cautious ones while the AI chooses it", () => {
    expect(toolAnnotations(http, {})).toEqual(http.annotations);
    expect(http.annotations).toMatchObject({ readOnly: false, destructive: true, idempotent: false });
    expect(toolAnnotations(http, { method: { mode: "fixed", value: "GET" } })).toMatchObject({
      readOnly: true,
      destructive: false,
      idempotent: true,
    });
    expect(toolAnnotations(http, { method: { mode: "fixed", value: "POST" } })).toMatchObject({
      readOnly: false,
      destructive: false,
      idempotent: false,
    });
    expect(toolAnnotations(http, { method: { mode: "fixed", value: "DELETE" } })).toMatchObject({
      destructive: true,
      idempotent: true,
    });
    // A secret fixed value is not read, so it decides nothing.
    expect(toolAnnotations(http, { method: { mode: "fixed", secret: true } })).toEqual(http.annotations);
  });

  it("reach the AI in tools/list: a tool that always sends GET says it only reads", () => {
    const tool = (method?: string) =>
      describeTool(
        {
          id: `t-${method ?? "any"}`,
          name: "fetch_page",
          description: null,
          integration: "http",
          action: "request",
          connectionId: null,
          fields: method ? { method: { mode: "fixed", value: method } } : {},
        },
        http,
      );
    expect(tool("GET").annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    expect(tool().annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
  });

  it("are declared, for every action that varies them, on a field and values its input accepts", () => {
    const varying = integrations.flatMap((app) => app.actions.filter((action) => action.annotationsByValue));
    expect(varying.length).toBeGreaterThan(0);
    for (const action of varying) {
      const { field, values } = action.annotationsByValue!;
      const property = buildToolInputSchema(action, {}).properties?.[field] as
        | { enum?: string[] }
        | undefined;
      expect(property, `${action.key}.${field}`).toBeDefined();
      expect(property?.enum?.slice().sort(), action.key).toEqual(Object.keys(values).sort());
    }
  });
});
