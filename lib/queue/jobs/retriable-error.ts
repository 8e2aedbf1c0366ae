// An action failure that may succeed if tried again (a network error, a 5xx, a 429). Anything
// else (a 4xx that retrying cannot fix, bad input) is final.
export class RetriableError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "RetriableError";
  }
}

export function isRetriableError(error: unknown): error is RetriableError {
  return error instanceof RetriableError;
}
