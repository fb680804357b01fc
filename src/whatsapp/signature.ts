// Checks and produces X-Hub-Signature-256 headers: HMAC-SHA256 of the raw request body keyed with the
// app secret (whatsapp-rules.md §6.4). Works on the exact bytes received, never on re-serialised JSON.

import { createHmac, timingSafeEqual } from 'node:crypto';

const PREFIX = 'sha256=';

// Hex is case-insensitive, so an uppercase digest is the same 32 bytes and is accepted: the comparison
// is over decoded bytes, not text. The "sha256=" label is not an encoding and must be exactly that.
const HEADER = /^sha256=([0-9a-fA-F]{64})$/;

/** The header value Meta would send for `rawBody`: "sha256=" and the lowercase hex digest. */
export function signPayload(rawBody: Uint8Array, appSecret: string): string {
  return PREFIX + createHmac('sha256', appSecret).update(rawBody).digest('hex');
}

/**
 * True only when `header` is "sha256=<64 hex digits>" and matches the HMAC of `rawBody`. Never throws:
 * a missing or malformed header, or an empty secret (anyone could forge that), is simply false.
 * The digests are compared with timingSafeEqual so the time taken reveals nothing about the secret's output.
 */
export function verifySignature(rawBody: Uint8Array, header: string | null | undefined, appSecret: string): boolean {
  if (typeof header !== 'string' || typeof appSecret !== 'string' || appSecret === '') return false;
  const hex = HEADER.exec(header)?.[1];
  if (hex === undefined) return false;
  try {
    const expected = createHmac('sha256', appSecret).update(rawBody).digest();
    const received = Buffer.from(hex, 'hex');
    return received.length === expected.length && timingSafeEqual(received, expected);
  } catch {
    // Only a rawBody that is not bytes can get here (a caller outside the type system); that is not a match.
    return false;
  }
}
