// A failed request that never got an answer, in plain words: undici reports "fetch failed" and
// hides the reason (an unknown name, a refused connection, a certificate) in its cause's code.

type Cause = { code?: unknown; message?: unknown; errors?: unknown; cause?: unknown };

const tlsCode = /^(CERT_|ERR_TLS_|ERR_SSL_|UNABLE_TO_|SELF_SIGNED_|DEPTH_ZERO_|HOSTNAME_MISMATCH|EPROTO)/;

/** The system's or undici's code for why a connection failed, looking through wrapped causes. */
export function networkErrorCode(error: unknown): string | undefined {
  let current = error as Cause | undefined;
  for (let depth = 0; current && depth < 5; depth++) {
    if (typeof current.code === "string" && current.code !== "ERR_INVALID_ARG_TYPE") return current.code;
    // Node's "happy eyeballs" tries each address and reports them together.
    const first = Array.isArray(current.errors) ? (current.errors[0] as Cause | undefined) : undefined;
    if (typeof first?.code === "string") return first.code;
    current = current.cause as Cause | undefined;
  }
  return undefined;
}

/** Why the host could not be reached, for a person: "the name api.example.com was not found". */
export function describeNetworkFailure(code: string | undefined, host: string): string {
  switch (code) {
    case "ENOTFOUND":
    case "EAI_NONAME":
    case "EAI_NODATA":
      return `the name ${host} was not found`;
    case "EAI_AGAIN":
      return `the name ${host} could not be looked up (no answer from the name server)`;
    case "ECONNREFUSED":
      return `${host} refused the connection`;
    case "ECONNRESET":
    case "EPIPE":
    case "UND_ERR_SOCKET":
    case "UND_ERR_CLOSED":
      return `the connection to ${host} was cut off`;
    case "ETIMEDOUT":
    case "UND_ERR_CONNECT_TIMEOUT":
    case "UND_ERR_HEADERS_TIMEOUT":
    case "UND_ERR_BODY_TIMEOUT":
      return `${host} did not answer in time`;
    case "EHOSTUNREACH":
    case "ENETUNREACH":
    case "ENETDOWN":
      return `there is no network route to ${host}`;
    default:
      if (code && tlsCode.test(code))
        return `the secure connection to ${host} failed (its certificate was refused)`;
      return `no connection to ${host} could be made`;
  }
}
