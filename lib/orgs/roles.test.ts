// The README's role table and the code's (roleCan) must say the same thing, row by row.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { mayAssignRole, type OrgPermission, orgRoles, roleCan } from "./roles";

const rows: [readme: string, permission: OrgPermission][] = [
  ["Manage the organization", "manage_org"],
  ["Manage members", "manage_members"],
  ["Create and change shared connections, servers and tools", "manage_shared"],
  ["Use shared servers", "use_servers"],
  ["Call tools that change data", "call_writes"],
  ["See everyone's history and usage", "see_all_calls"],
  ["Read the audit trail", "see_audit"],
];

function readmeTable(): Map<string, string[]> {
  const readme = readFileSync(path.join(import.meta.dirname, "../../README.md"), "utf8");
  const section = readme.split("\n## Organizations\n")[1]?.split("\n## ")[0] ?? "";
  const table = new Map<string, string[]>();
  for (const line of section.split("\n")) {
    const cells = line.split("|").map((cell) => cell.trim());
    if (cells.length !== 7 || !cells[1] || cells[1].startsWith("---")) continue;
    table.set(cells[1], cells.slice(2, 6));
  }
  return table;
}

describe("the role table", () => {
  const table = readmeTable();

  it("has exactly one README row per permission, with a column per role", () => {
    expect(table.size).toBe(rows.length);
    expect(rows.every(([label]) => [...table.keys()].some((key) => key.startsWith(label)))).toBe(true);
  });

  for (const [label, permission] of rows)
    it(`row "${label}" matches roleCan(role, "${permission}")`, () => {
      const cells = [...table.entries()].find(([key]) => key.startsWith(label))?.[1];
      expect(cells).toEqual(orgRoles.map((role) => (roleCan(role, permission) ? "yes" : "no")));
    });

  it("lets only owners give or take the owner role, and admins the others", () => {
    expect(mayAssignRole("OWNER", "OWNER")).toBe(true);
    expect(mayAssignRole("ADMIN", "OWNER")).toBe(false);
    expect(mayAssignRole("ADMIN", "VIEWER")).toBe(true);
    expect(mayAssignRole("MEMBER", "VIEWER")).toBe(false);
  });
});
