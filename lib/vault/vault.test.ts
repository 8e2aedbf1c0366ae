import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resetEnvCache, setEnv } from "@/env";
import { forgetKeyring } from "./keyring";
import { open, readKeyId, seal, VaultError } from "./vault";

const owner = { userId: "user_a", connectionId: "conn_1" };
const saved = { key: process.env.ENCRYPTION_KEY, old: process.env.ENCRYPTION_OLD_KEYS };

beforeEach(() => {
  setEnv({
    ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    ENCRYPTION_OLD_KEYS: "",
    DATA_DIR: "/nonexistent-toolgate-test",
  });
  forgetKeyring();
});
afterEach(() => {
  setEnv({ ENCRYPTION_KEY: saved.key ?? "", ENCRYPTION_OLD_KEYS: saved.old ?? "" });
  resetEnvCache();
  forgetKeyring();
});

describe("vault", () => {
  it("round-trips credentials and never stores them in clear", async () => {
    const canary = `canary-${randomBytes(8).toString("hex")}`;
    const { ciphertext } = await seal({ token: canary }, owner);
    expect(Buffer.from(ciphertext).toString("latin1")).not.toContain(canary);
    expect(await open(ciphertext, owner)).toEqual({ token: canary });
  });

  it("uses a fresh nonce for every seal", async () => {
    const first = await seal({ token: "same" }, owner);
    const second = await seal({ token: "same" }, owner);
    expect(Buffer.from(first.ciphertext).equals(Buffer.from(second.ciphertext))).toBe(false);
  });

  it("refuses tampered ciphertext", async () => {
    const { ciphertext } = await seal({ token: "secret" }, owner);
    const tampered = Buffer.from(ciphertext);
    tampered[tampered.length - 1]! ^= 0x01;
    await expect(open(tampered, owner)).rejects.toBeInstanceOf(VaultError);
  });

  it("refuses ciphertext moved to another owner or connection", async () => {
    const { ciphertext } = await seal({ token: "secret" }, owner);
    await expect(open(ciphertext, { ...owner, userId: "user_b" })).rejects.toThrow(
      /altered, or belongs to another connection/,
    );
    await expect(open(ciphertext, { ...owner, connectionId: "conn_2" })).rejects.toBeInstanceOf(VaultError);
  });

  it("binds a tool's secret field value to its field, and a call's input to its call", async () => {
    const field = { userId: "user_a", toolId: "tool_1", field: "headers" };
    const { ciphertext } = await seal({ Authorization: "Bearer x" }, field);
    expect(await open(ciphertext, field)).toEqual({ Authorization: "Bearer x" });
    await expect(open(ciphertext, { ...field, field: "url" })).rejects.toBeInstanceOf(VaultError);
    await expect(open(ciphertext, { ...field, toolId: "tool_2" })).rejects.toBeInstanceOf(VaultError);
    await expect(open(ciphertext, { userId: "user_a", connectionId: "tool_1" })).rejects.toBeInstanceOf(
      VaultError,
    );
    const call = { userId: "user_a", callId: "call_1" };
    const input = await seal({ text: "hello" }, call);
    expect(await open(input.ciphertext, call)).toEqual({ text: "hello" });
    await expect(open(input.ciphertext, { ...call, callId: "call_2" })).rejects.toBeInstanceOf(VaultError);
  });

  it("opens what an old key sealed once that key is listed, and says which key is missing otherwise", async () => {
    const oldKey = process.env.ENCRYPTION_KEY!;
    const { ciphertext, keyVersion } = await seal({ token: "secret" }, owner);
    expect(readKeyId(ciphertext)).toBe(keyVersion);

    setEnv({ ENCRYPTION_KEY: randomBytes(32).toString("base64"), ENCRYPTION_OLD_KEYS: "" });
    forgetKeyring();
    await expect(open(ciphertext, owner)).rejects.toThrow(/ENCRYPTION_OLD_KEYS/);

    setEnv({ ENCRYPTION_OLD_KEYS: oldKey });
    forgetKeyring();
    expect(await open(ciphertext, owner)).toEqual({ token: "secret" });
    const resealed = await seal({ token: "secret" }, owner);
    expect(resealed.keyVersion).not.toBe(keyVersion);
  });
});
