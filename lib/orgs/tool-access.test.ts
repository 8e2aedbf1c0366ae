import { describe, expect, it } from "vitest";
import { integrations } from "@/integrations/registry";
import { externalCreate, externalDelete, externalRead, externalUpdate } from "@/integrations/sdk/define";
import type { OrgRole } from "./roles";
import { mayCallTool, type ToolCaller } from "./tool-access";

const server = { orgName: "Acme", writesAdminOnly: false };
const open = { allowedRoles: [] as OrgRole[], allowedUserIds: [] as string[], fields: {} };
const read = { annotations: externalRead };
const create = { annotations: externalCreate };
const update = { annotations: externalUpdate };
const remove = { annotations: externalDelete };
const as = (role: OrgRole, userId = `u-${role}`): ToolCaller => ({ userId, role });
const http = integrations
  .find((app) => app.slug === "http")!
  .actions.find((action) => action.key === "request")!;

describe("mayCallTool", () => {
  it("lets every role call a tool that only reads", () => {
    for (const role of ["OWNER", "ADMIN", "MEMBER", "VIEWER"] as const)
      expect(mayCallTool(as(role), server, open, read)).toEqual({ allowed: true });
  });

  it("refuses a viewer every tool that changes data or deletes, saying why", () => {
    for (const action of [create, update, remove])
      expect(mayCallTool(as("VIEWER"), server, open, action)).toEqual({
        allowed: false,
        reason: "You are a viewer in Acme: viewers can call only tools that read.",
      });
    for (const role of ["OWNER", "ADMIN", "MEMBER"] as const)
      expect(mayCallTool(as(role), server, open, remove).allowed).toBe(true);
  });

  it("follows the value a tool fixes: an HTTP request fixed to GET reads, left to the AI it may delete", () => {
    expect(mayCallTool(as("VIEWER"), server, open, http).allowed).toBe(false);
    const fixedGet = { ...open, fields: { method: { mode: "fixed" as const, value: "GET" } } };
    expect(mayCallTool(as("VIEWER"), server, fixedGet, http)).toEqual({ allowed: true });
  });

  it("with writesAdminOnly, keeps changing and destructive tools for owners and admins", () => {
    const adminOnly = { ...server, writesAdminOnly: true };
    for (const action of [create, update, remove]) {
      expect(mayCallTool(as("OWNER"), adminOnly, open, action).allowed).toBe(true);
      expect(mayCallTool(as("ADMIN"), adminOnly, open, action).allowed).toBe(true);
      const refused = mayCallTool(as("MEMBER"), adminOnly, open, action);
      expect(refused).toEqual({
        allowed: false,
        reason:
          "You are a member in Acme: on this server, tools that change data are for owners and admins only.",
      });
    }
    expect(mayCallTool(as("MEMBER"), adminOnly, open, read).allowed).toBe(true);
    expect(mayCallTool(as("VIEWER"), adminOnly, open, read).allowed).toBe(true);
  });

  it("limits a tool to the roles it lists", () => {
    const adminsOnly = { ...open, allowedRoles: ["ADMIN"] as OrgRole[] };
    expect(mayCallTool(as("ADMIN"), server, adminsOnly, read).allowed).toBe(true);
    const refused = mayCallTool(as("OWNER"), server, adminsOnly, read);
    expect(refused).toEqual({
      allowed: false,
      reason: "You are an owner in Acme: this tool is limited to admins, and you are not among them.",
    });
  });

  it("limits a tool to the members it names", () => {
    const one = { ...open, allowedUserIds: ["alice"] };
    expect(mayCallTool(as("MEMBER", "alice"), server, one, create).allowed).toBe(true);
    const refused = mayCallTool(as("MEMBER", "bob"), server, one, create);
    expect(refused.allowed).toBe(false);
    expect(!refused.allowed && refused.reason).toContain("limited to one named member");
    // Owners are not exempt from a tool's own list.
    expect(mayCallTool(as("OWNER", "carol"), server, one, create).allowed).toBe(false);
  });

  it("lets either list admit: a listed role or a named member", () => {
    const both = { ...open, allowedRoles: ["ADMIN"] as OrgRole[], allowedUserIds: ["bob"] };
    expect(mayCallTool(as("ADMIN", "ann"), server, both, read).allowed).toBe(true);
    expect(mayCallTool(as("MEMBER", "bob"), server, both, read).allowed).toBe(true);
    expect(mayCallTool(as("MEMBER", "dan"), server, both, read).allowed).toBe(false);
  });

  it("does not let a tool's list lift the viewer rule", () => {
    const viewerNamed = { ...open, allowedRoles: ["VIEWER"] as OrgRole[], allowedUserIds: ["vic"] };
    expect(mayCallTool(as("VIEWER", "vic"), server, viewerNamed, create).allowed).toBe(false);
  });
});
