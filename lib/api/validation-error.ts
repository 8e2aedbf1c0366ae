// A zod failure as the API reports it: 422 "validation_failed", each issue naming where it is
// (body, query or path) and the field by its dotted path, e.g. `fields.operation.value`.
import type { z } from "zod";
import { AppError } from "@/lib/errors/app-error";

export type InputLocation = "body" | "query" | "path";

export type ValidationIssue = { in: InputLocation; path: string; message: string };

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) => (typeof key === "number" ? `[${key}]` : `${index === 0 ? "" : "."}${String(key)}`))
    .join("");
}

export function toValidationIssues(error: z.ZodError, location: InputLocation): ValidationIssue[] {
  return error.issues.map((issue) => ({
    in: location,
    path: formatPath(issue.path),
    message: issue.message,
  }));
}

export function toValidationError(error: z.ZodError, location: InputLocation): AppError {
  const issues = toValidationIssues(error, location);
  const summary = issues
    .slice(0, 5)
    .map((issue) => `${issue.path || `(${issue.in})`}: ${issue.message}`)
    .join("; ");
  const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : "";
  return new AppError("validation_failed", `Invalid ${location}: ${summary}${more}`, { issues });
}
