import pino from "pino";
import { describe, expect, it } from "vitest";
import { Prisma } from "@/lib/db/generated/client.ts";
import { buildErrorResponse } from "./error-response";

const log = pino({ level: "silent" });

function prismaError(code: string): Prisma.PrismaClientKnownRequestError {
  return new Prisma.PrismaClientKnownRequestError("No record was found for an update.", {
    code,
    clientVersion: Prisma.prismaVersion.client,
  });
}

describe("buildErrorResponse", () => {
  it("answers 404 when the row a handler found was deleted before it could change it", async () => {
    // Rotating a server while another request deletes it: the update finds no row (P2025), and
    // creating a tool on it fails its foreign key (P2003).
    for (const code of ["P2025", "P2003"]) {
      const response = buildErrorResponse(prismaError(code), log, "req-1");
      expect(response.status, code).toBe(404);
      expect(await response.json()).toEqual({
        error: { code: "not_found", message: "Not found: it was deleted meanwhile." },
      });
    }
  });

  it("answers any other database failure with a 500 that says nothing of it", async () => {
    const response = buildErrorResponse(prismaError("P2010"), log, "req-2");
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({
      error: { code: "internal_error", message: "Something went wrong on our side (request req-2)." },
    });
  });
});
