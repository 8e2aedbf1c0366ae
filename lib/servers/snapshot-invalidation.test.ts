// Which snapshots a write reaches, read from the write's arguments alone.
import { describe, expect, it } from "vitest";
import type { ServerSnapshot } from "./server-snapshot";
import { invalidationOfWrite, parseInvalidation, reaches } from "./snapshot-invalidation";

const snapshot: ServerSnapshot = {
  serverId: "s1",
  serverName: "S",
  userId: "u1",
  secretHash: "h1",
  owner: { suspended: false, limits: { hour: 1, day: 2, month: 3 } },
  org: null,
  addedApps: {},
  tools: [
    {
      id: "t1",
      name: "t",
      description: null,
      integration: "formatter",
      action: "count_text",
      connectionId: "c1",
      fields: {},
      allowedRoles: [],
      allowedUserIds: [],
    },
  ],
};

describe("invalidationOfWrite", () => {
  it("names what a write pins by id, and everything when it pins nothing it can tell apart", () => {
    expect(invalidationOfWrite("McpServer", "update", { where: { id: "s1" }, data: { name: "x" } })).toEqual({
      serverIds: ["s1"],
    });
    expect(
      invalidationOfWrite("McpServer", "deleteMany", { where: { userId: { in: ["u1", "u2"] } } }),
    ).toEqual({
      userIds: ["u1", "u2"],
    });
    expect(invalidationOfWrite("Tool", "create", { data: { serverId: "s1", name: "n" } })).toEqual({
      serverIds: ["s1"],
    });
    expect(invalidationOfWrite("Tool", "update", { where: { id: "t1" }, data: { serverId: "s2" } })).toEqual({
      toolIds: ["t1"],
      serverIds: ["s2"],
    });
    expect(
      invalidationOfWrite("User", "update", { where: { id: "u1" }, data: { suspendedAt: null } }),
    ).toEqual({
      userIds: ["u1"],
    });
    expect(invalidationOfWrite("User", "update", { where: { email: "a@b" }, data: { planId: "p" } })).toEqual(
      {
        all: true,
      },
    );
    expect(invalidationOfWrite("Plan", "update", { where: { id: "p" }, data: { hourlyLimit: 5 } })).toEqual({
      all: true,
    });
    expect(invalidationOfWrite("Connection", "delete", { where: { id: "c1" } })).toEqual({
      connectionIds: ["c1"],
    });
    expect(invalidationOfWrite("Tool", "updateMany", { where: { name: "x" }, data: {} })).toEqual({
      all: true,
    });
  });

  it("leaves reads, unrelated models and columns no snapshot carries alone", () => {
    expect(invalidationOfWrite("McpServer", "findUnique", { where: { id: "s1" } })).toBeNull();
    expect(invalidationOfWrite("Call", "update", { where: { id: "x" }, data: {} })).toBeNull();
    expect(
      invalidationOfWrite("User", "update", { where: { id: "u1" }, data: { passwordHash: "x" } }),
    ).toBeNull();
    expect(invalidationOfWrite("User", "create", { data: { email: "a@b" } })).toBeNull();
    expect(
      invalidationOfWrite("Plan", "update", { where: { id: "p" }, data: { name: "Renamed" } }),
    ).toBeNull();
    expect(invalidationOfWrite("Plan", "create", { data: { name: "P", isDefault: false } })).toBeNull();
    expect(
      invalidationOfWrite("Connection", "update", { where: { id: "c1" }, data: { label: "x" } }),
    ).toBeNull();
  });
});

describe("reaches", () => {
  it("matches a snapshot by its secret, server, owner, tools or their connections", () => {
    expect(reaches({ secretHashes: ["h1"] }, "h1", snapshot)).toBe(true);
    expect(reaches({ serverIds: ["s1"] }, "h1", snapshot)).toBe(true);
    expect(reaches({ userIds: ["u1"] }, "h1", snapshot)).toBe(true);
    expect(reaches({ toolIds: ["t1"] }, "h1", snapshot)).toBe(true);
    expect(reaches({ connectionIds: ["c1"] }, "h1", snapshot)).toBe(true);
    expect(reaches({ all: true }, "h1", snapshot)).toBe(true);
    expect(
      reaches({ serverIds: ["s2"], userIds: ["u2"], toolIds: ["t2"], connectionIds: ["c2"] }, "h1", snapshot),
    ).toBe(false);
  });
});

describe("parseInvalidation", () => {
  it("reads an announcement, and takes one it cannot read for everything", () => {
    expect(parseInvalidation(JSON.stringify({ userIds: ["u1"] }))).toEqual({ userIds: ["u1"] });
    expect(parseInvalidation("not json")).toEqual({ all: true });
    expect(parseInvalidation(JSON.stringify({ userIds: [1] }))).toEqual({ all: true });
  });

  it("reads an upstream's catalog notices, which drop no snapshot", () => {
    const notice = { resourceListsChanged: ["app1"], promptListsChanged: ["app2"] };
    expect(parseInvalidation(JSON.stringify(notice))).toEqual(notice);
    expect(reaches(notice, "h1", snapshot)).toBe(false);
    expect(parseInvalidation(JSON.stringify({ promptListsChanged: "app2" }))).toEqual({ all: true });
  });
});
