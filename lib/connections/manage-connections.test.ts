// Renaming a connection and replacing its credentials, against the run's real database: owner
// scoping, validation with the field it concerns, the vault, the status reset and the audit trail.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { createUser } from "@/lib/users/create-user";
import { open } from "@/lib/vault/vault";
import { uniqueEmail } from "@/test/helpers/mcp";
import { closeTestConnections } from "@/test/helpers/teardown";
import { createConnection, renameConnection, replaceConnectionCredentials } from "./manage-connections";

let owner: string;
let stranger: string;

beforeAll(async () => {
  owner = (await createUser({ email: uniqueEmail("conn-owner"), password: "a long password" })).id;
  stranger = (await createUser({ email: uniqueEmail("conn-stranger"), password: "a long password" })).id;
});

afterAll(async () => {
  await closeTestConnections();
});

async function todoistConnection(token = "first-token") {
  return createConnection(owner, { integration: "todoist", credentials: { api_token: token } });
}

async function lastAuditEvent(targetId: string) {
  return getDb().auditEvent.findFirstOrThrow({ where: { targetId }, orderBy: { createdAt: "desc" } });
}

describe("renameConnection", () => {
  it("renames the owner's connection, trimmed, and records who renamed it from what to what", async () => {
    const connection = await todoistConnection();
    const renamed = await renameConnection(owner, connection.id, "  Work tasks  ", { ip: "203.0.113.7" });
    expect(renamed).toMatchObject({ id: connection.id, label: "Work tasks" });
    expect(renamed).not.toHaveProperty("ciphertext");
    const event = await lastAuditEvent(connection.id);
    expect(event).toMatchObject({ action: "connection.renamed", actorId: owner, ip: "203.0.113.7" });
    expect(event.metadata).toEqual({ integration: "todoist", from: "Todoist", to: "Work tasks" });
  });

  it("refuses an empty or too long name on the label field", async () => {
    const connection = await todoistConnection();
    await expect(renameConnection(owner, connection.id, "   ")).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: ["label"], message: "Enter a name for this account." })],
    });
    await expect(renameConnection(owner, connection.id, "x".repeat(101))).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: ["label"] })],
    });
    expect((await getDb().connection.findUniqueOrThrow({ where: { id: connection.id } })).label).toBe(
      "Todoist",
    );
  });

  it("does not touch another user's connection", async () => {
    const connection = await todoistConnection();
    const refused = await renameConnection(stranger, connection.id, "Mine now").catch((error) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: "not_found" });
    expect((await getDb().connection.findUniqueOrThrow({ where: { id: connection.id } })).label).toBe(
      "Todoist",
    );
  });
});

describe("replaceConnectionCredentials", () => {
  it("seals the new credentials for the same connection and marks it not checked yet", async () => {
    const connection = await todoistConnection();
    await getDb().connection.update({
      where: { id: connection.id },
      data: { status: "NEEDS_RECONNECT", statusMessage: "Invalid token" },
    });
    const replaced = await replaceConnectionCredentials(owner, connection.id, { api_token: " new-token " });
    expect(replaced).toMatchObject({ id: connection.id, status: "UNCHECKED", statusMessage: null });
    const row = await getDb().connection.findUniqueOrThrow({ where: { id: connection.id } });
    expect(await open(row.ciphertext, { userId: owner, connectionId: connection.id })).toEqual({
      api_token: "new-token",
    });
    const event = await lastAuditEvent(connection.id);
    expect(event).toMatchObject({ action: "connection.credentials_replaced", actorId: owner });
    expect(JSON.stringify(event.metadata)).not.toContain("new-token");
  });

  it("names the missing credential field and keeps the old credentials", async () => {
    const connection = await todoistConnection("kept-token");
    await expect(
      replaceConnectionCredentials(owner, connection.id, { api_token: "  " }),
    ).rejects.toMatchObject({
      code: "validation_failed",
      details: { field: "credentials.api_token" },
    });
    const row = await getDb().connection.findUniqueOrThrow({ where: { id: connection.id } });
    expect(await open(row.ciphertext, { userId: owner, connectionId: connection.id })).toEqual({
      api_token: "kept-token",
    });
  });

  it("does not touch another user's connection", async () => {
    const connection = await todoistConnection("owners-token");
    await expect(
      replaceConnectionCredentials(stranger, connection.id, { api_token: "attacker" }),
    ).rejects.toMatchObject({ code: "not_found" });
    const row = await getDb().connection.findUniqueOrThrow({ where: { id: connection.id } });
    expect(await open(row.ciphertext, { userId: owner, connectionId: connection.id })).toEqual({
      api_token: "owners-token",
    });
  });

  it("sends OAuth connections to the browser flow instead", async () => {
    const id = crypto.randomUUID();
    await getDb().connection.create({
      data: {
        id,
        userId: owner,
        integration: "gmail",
        label: "Gmail",
        authType: "oauth2",
        ciphertext: new Uint8Array([1]),
        keyVersion: 1,
      },
    });
    await expect(replaceConnectionCredentials(owner, id, { api_token: "x" })).rejects.toMatchObject({
      code: "validation_failed",
      message: expect.stringContaining("uses OAuth"),
    });
  });
});
