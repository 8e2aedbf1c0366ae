// The one error type the platform throws on purpose: a code, an HTTP status and a message that
// is safe to show to the caller. Anything else is a fault and is reported as "internal_error".
export type AppErrorCode =
  | "bad_request"
  | "validation_failed"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "method_not_allowed"
  | "conflict"
  | "payload_too_large"
  | "rate_limited"
  | "quota_exceeded"
  | "suspended"
  | "upstream_error"
  | "service_unavailable"
  | "internal_error";

const statusByCode: Record<AppErrorCode, number> = {
  bad_request: 400,
  validation_failed: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  quota_exceeded: 429,
  suspended: 403,
  upstream_error: 502,
  service_unavailable: 503,
  internal_error: 500,
};

/** Every code, for documents that list them (the REST API's OpenAPI description). */
export const appErrorCodes = Object.keys(statusByCode) as AppErrorCode[];

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "AppError";
    this.status = statusByCode[code];
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
