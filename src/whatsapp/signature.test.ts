// Pins X-Hub-Signature-256 checking (whatsapp-rules.md §6.4): HMAC-SHA256 over the exact bytes received,
// constant-time comparison, and `false` (never a throw) for every header that is missing or malformed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signPayload, verifySignature } from './signature.ts';

const SECRET = 'app-secret-0123456789abcdef';
const bytes = (text: string) => new TextEncoder().encode(text);
const body = bytes('{"object":"whatsapp_business_account","entry":[]}');

describe('signPayload', () => {
  it('writes "sha256=" and the lowercase hex HMAC-SHA256 (RFC 4231 test case 2)', () => {
    expect(signPayload(bytes('what do ya want for nothing?'), 'Jefe')).toBe('sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  it('produces a header that verifySignature accepts for the same bytes and secret', () => {
    expect(verifySignature(body, signPayload(body, SECRET), SECRET)).toBe(true);
  });
});

describe('verifySignature over non-ASCII bodies', () => {
  it('accepts a UTF-8 body with accents and an emoji flag when it is given the bytes that were signed', () => {
    const raw = bytes('{"text":{"body":"Olá, São Paulo 🇧🇷"}}');
    expect(verifySignature(raw, signPayload(raw, SECRET), SECRET)).toBe(true);
  });

  // Meta escapes non-ASCII characters in the body it signs. JSON.parse + JSON.stringify turns
  // "S\u00e3o" back into "São": the same data, other bytes, so the HMAC no longer matches. This is the
  // pitfall whatsapp-api-js documents, and why the HTTP route must verify before it parses.
  it('rejects the re-serialised JSON of a body Meta signed with \\u escapes, and accepts the raw bytes', () => {
    const raw = bytes('{"text":{"body":"Ol\\u00e1, S\\u00e3o Paulo \\ud83c\\udde7\\ud83c\\uddf7"}}');
    const header = signPayload(raw, SECRET);
    const reserialised = bytes(JSON.stringify(JSON.parse(new TextDecoder().decode(raw))));
    expect(new TextDecoder().decode(reserialised)).toContain('São Paulo 🇧🇷');
    expect(verifySignature(raw, header, SECRET)).toBe(true);
    expect(verifySignature(reserialised, header, SECRET)).toBe(false);
  });

  it('rejects a body decoded as Latin-1 and encoded again, which changes every non-ASCII byte', () => {
    const raw = bytes('{"body":"Olá"}');
    const mangled = new Uint8Array(Buffer.from(Buffer.from(raw).toString('latin1'), 'utf8'));
    expect(verifySignature(mangled, signPayload(raw, SECRET), SECRET)).toBe(false);
  });
});

describe('verifySignature refuses what Meta did not sign', () => {
  const header = signPayload(body, SECRET);
  const flipped = Uint8Array.from(body, (byte, index) => (index === 10 ? byte ^ 0x01 : byte));

  it.each<[string, Uint8Array, string]>([
    ['a wrong secret', body, 'another-secret'],
    ['a body with one bit flipped', flipped, SECRET],
    ['a truncated body', body.subarray(0, body.length - 1), SECRET],
    ['a body with a trailing newline', bytes(`${new TextDecoder().decode(body)}\n`), SECRET],
    ['an empty body', new Uint8Array(), SECRET],
  ])('rejects %s', (_name, rawBody, secret) => {
    expect(verifySignature(rawBody, header, secret)).toBe(false);
  });

  it('rejects a matching signature when the app secret is empty, since anyone could forge it', () => {
    expect(verifySignature(body, signPayload(body, ''), '')).toBe(false);
  });
});

describe('verifySignature reads only well-formed headers', () => {
  const hex = signPayload(body, SECRET).slice('sha256='.length);

  it.each<[string, string | null | undefined]>([
    ['a missing header (undefined)', undefined],
    ['a missing header (null)', null],
    ['an empty header', ''],
    ['the prefix alone', 'sha256='],
    ['the hex without "sha256="', hex],
    ['another algorithm label', `sha1=${hex}`],
    ['an uppercase label', `SHA256=${hex}`],
    ['a digest one digit short (length mismatch)', `sha256=${hex.slice(1)}`],
    ['a digest one digit long (length mismatch)', `sha256=${hex}0`],
    ['a digest of half the length', `sha256=${hex.slice(0, 32)}`],
    ['non-hex digits', `sha256=${'z'.repeat(64)}`],
    ['surrounding whitespace', ` sha256=${hex} `],
    ['two signatures in one header', `sha256=${hex},sha256=${hex}`],
  ])('returns false for %s', (_name, value) => {
    expect(verifySignature(body, value, SECRET)).toBe(false);
  });

  // Decision: hex is case-insensitive, so an uppercase digest names the same 32 bytes and is accepted.
  // Meta sends lowercase; accepting both costs nothing because the comparison is over decoded bytes.
  it('accepts a digest written in uppercase hex, since it decodes to the same bytes', () => {
    expect(verifySignature(body, `sha256=${hex.toUpperCase()}`, SECRET)).toBe(true);
  });

  it('accepts the same bytes whether they come as a Buffer or a plain Uint8Array', () => {
    const header = signPayload(body, SECRET);
    expect(verifySignature(Buffer.from(body), header, SECRET)).toBe(true);
    expect(verifySignature(new Uint8Array(body), header, SECRET)).toBe(true);
  });

  it('never throws, whatever the header, body and secret', () => {
    fc.assert(
      fc.property(fc.uint8Array(), fc.option(fc.string(), { nil: undefined }), fc.string(), (rawBody, value, secret) => {
        expect(typeof verifySignature(rawBody, value, secret)).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });
});
