// How an action says what went wrong. The worker decides from the class alone whether to retry,
// to delay the connection's work, to ask for a reconnection, or to fail with the message as is,
// so every message here is written for the model (and the person) reading the tool result.

/** A failure that retrying cannot fix (bad input, a 4xx): the message is the tool error. */
export class ActionError extends Error {
  constructor(
    message: string,
    /** The app's HTTP status, when the failure is the app's answer. */
    readonly httpStatus?: number,
  ) {
    super(message);
    this.name = "ActionError";
  }
}

/** The app refused the connection's credentials (a 401): the connection needs reconnecting. */
export class CredentialsRejectedError extends ActionError {
  constructor(message: string) {
    super(message);
    this.name = "CredentialsRejectedError";
  }
}

/** A failure that may succeed if tried again: a network error, a timeout, a 5xx. */
export class RetriableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RetriableError";
  }
}

/**
 * The app could not be reached or could not answer (its name unknown, the connection refused or
 * cut, no answer in time, a certificate refused, a 5xx): nothing the account's credentials can
 * change. `reason` says which, in plain words.
 */
export class AppUnreachableError extends RetriableError {
  constructor(
    message: string,
    readonly reason: string,
    /** Set when the app did answer, with a server error. */
    readonly httpStatus?: number,
  ) {
    super(message);
    this.name = "AppUnreachableError";
  }
}

/** The app asked to slow down (a 429): the connection's work waits `retryAfterMs`. */
export class RateLimitedError extends RetriableError {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
    this.name = "RateLimitedError";
  }
}

export function isRetriableError(error: unknown): error is RetriableError {
  return error instanceof RetriableError;
}
