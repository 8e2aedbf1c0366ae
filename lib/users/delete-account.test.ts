// Deleting one's account when one is an administrator, on a scratch database of its own (the
// rule depends on how many administrators exist in the whole installation).
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "@/env";
import { disconnectDb, getDb } from "@/lib/db/client";
import { disconnectRedis } from "@/lib/redis/client";
import { createScratchDatabase, type ScratchDatabase } from "@/test/helpers/database";
import { createUser } from "./create-user";
import { deleteAccount } from "./delete-account";

let database: ScratchDatabase;
const password = "a-long-password";
const newAdmin = async () =>
  createUser({ email: `admin-${randomBytes(4).toString("hex")}@example.test`, password, admin: true });

beforeAll(async () => {
  database = await createScratchDatabase();
  await disconnectDb();
  vi.stubEnv("DATABASE_URL", database.url);
  resetEnvCache();
});

afterAll(async () => {
  await disconnectDb();
  await disconnectRedis();
  await database?.drop();
  vi.unstubAllEnvs();
  resetEnvCache();
});

describe("deleteAccount for administrators", () => {
  it("refuses the only administrator, and lets one go once there is another", async () => {
    const only = await newAdmin();
    await expect(deleteAccount(only.id, { confirmEmail: only.email, password })).rejects.toMatchObject({
      code: "conflict",
    });
    expect(await getDb().user.count({ where: { id: only.id } })).toBe(1);
    await newAdmin();
    await deleteAccount(only.id, { confirmEmail: only.email, password });
    expect(await getDb().user.count({ where: { id: only.id } })).toBe(0);
  });

  it("lets exactly one of the last two administrators go when both leave at once", async () => {
    await getDb().user.deleteMany();
    const [first, second] = [await newAdmin(), await newAdmin()];
    const outcomes = await Promise.allSettled([
      deleteAccount(first.id, { confirmEmail: first.email, password }),
      deleteAccount(second.id, { confirmEmail: second.email, password }),
    ]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(await getDb().user.count({ where: { role: "ADMIN" } })).toBe(1);
  });
});
