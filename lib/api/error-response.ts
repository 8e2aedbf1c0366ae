// Every failure as one JSON shape, `{ error: { code, message, details? } }`. An AppError carries
// its own status and safe message; anything else is a fault: logged in full, answered with a
// generic 500 that leaks nothing but the request id.
import type { Logger } from "pino";
import { z } from "zod";
import { Prisma } from "@/lib/db/generated/client.ts";
import { AppError, isAppError } from "@/lib/errors/app-error";
import type { ApiErrorBody } from "./common-schemas";
import { toValidationError } from "./validation-error";

// A row the handler had found was deleted before it could change it or link to it (another
// request won the race): for the caller, the thing no longer exists.
const vanishedRowCodes = new Set(["P2025", "P2003"]);

function toAppError(error: unknown, requestId: string): { appError: AppError; fault: boolean } {
  if (isAppError(error)) return { appError: error, fault: error.status >= 500 };
  if (error instanceof Prisma.PrismaClientKnownRequestError && vanishedRowCodes.has(error.code))
    return { appError: new AppError("not_found", "Not found: it was deleted meanwhile."), fault: false };
  // A lib function that validates with zod itself reports a caller's mistake.
  if (error instanceof z.ZodError) return { appError: toValidationError(error, "body"), fault: false };
  return {
    appError: new AppError("internal_error", `Something went wrong on our side (request ${requestId}).`),
    fault: true,
  };
}

function headersFor(appError: AppError, requestId: string): Headers {
  const headers = new Headers({ "Cache-Control": "no-store", "x-request-id": requestId });
  if (appError.status === 401) headers.set("WWW-Authenticate", 'Bearer realm="toolgate"');
  if (appError.status === 503) headers.set("Retry-After", "5");
  return headers;
}

export function buildErrorResponse(error: unknown, log: Logger, requestId: string): Response {
  const { appError, fault } = toAppError(error, requestId);
  if (fault) log.error({ err: error }, "request failed");
  else log.warn({ status: appError.status, code: appError.code }, appError.message);
  const body: ApiErrorBody = {
    error: {
      code: appError.code,
      message: appError.message,
      ...(appError.details && { details: appError.details }),
    },
  };
  return Response.json(body, { status: appError.status, headers: headersFor(appError, requestId) });
}

export function apiNotFoundResponse(request: Request): Response {
  const body: ApiErrorBody = {
    error: { code: "not_found", message: "No such endpoint. GET /api/v1/openapi.json lists them." },
  };
  return Response.json(body, {
    status: 404,
    headers: { "Cache-Control": "no-store", "x-request-id": request.headers.get("x-request-id") ?? "" },
  });
}
