// PKCE (RFC 7636) as OAuth 2.1 requires it of public clients: S256 only ("plain" would hand the
// verifier to whoever sees the authorization request), with the verifier's grammar checked.
import { createHash, timingSafeEqual } from "node:crypto";

/** RFC 7636 §4.1: 43 to 128 unreserved characters. */
const verifierPattern = /^[A-Za-z0-9._~-]{43,128}$/;
/** A base64url SHA-256: 43 characters. */
const challengePattern = /^[A-Za-z0-9_-]{43}$/;

export function isValidChallenge(challenge: string): boolean {
  return challengePattern.test(challenge);
}

export function verifierMatches(verifier: string, challenge: string): boolean {
  if (!verifierPattern.test(verifier) || !isValidChallenge(challenge)) return false;
  const computed = Buffer.from(createHash("sha256").update(verifier).digest("base64url"));
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}
