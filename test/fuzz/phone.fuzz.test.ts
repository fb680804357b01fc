// Guarantee: any text typed as a phone number becomes either a valid E.164 number or a clear, typed
// rejection — never a throw — and normalisation is idempotent (a normalised number normalises to itself),
// so a number stored once matches itself on every later import, webhook and API call.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getCountryCallingCode, type CountryCode } from 'libphonenumber-js';
import examples from 'libphonenumber-js/mobile/examples';
import { normalizePhone, type PhoneResult } from '../../src/domain/phone.ts';

const E164 = /^\+[1-9]\d{6,14}$/;
const REASONS = ['empty', 'not_a_number', 'invalid_number', 'not_mobile'];

/** What people type: random text, digits with separators, and plausible international mobiles. */
const phoneText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: fc.constantFrom(...'0123456789+ ()-./'), maxLength: 25 }),
  fc.tuple(fc.constantFrom('+', '00', '', '+00', '++'), fc.constantFrom('1', '44', '49', '55', '52', '91', '351', '7', '86', '234'), fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 4, maxLength: 13 }), fc.constantFrom('', ' ', '-', '.'))
    .map(([prefix, country, digits, separator]) => `${prefix}${country}${separator}${digits.slice(0, 3)}${separator}${digits.slice(3)}`),
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 200, maxLength: 2000 }),
);
/** Real mobiles: each country's example mobile with its last two digits changed, written the ways people write it. */
const mobileText: fc.Arbitrary<[string, string | null]> = fc
  .tuple(fc.constantFrom(...(Object.keys(examples) as CountryCode[])), fc.integer({ min: 0, max: 99 }), fc.nat(4))
  .map(([country, tail, style]) => {
    const national = `${examples[country].slice(0, -2)}${String(tail).padStart(2, '0')}`;
    const code = getCountryCallingCode(country);
    const written = [`+${code}${national}`, `${code}${national}`, `00${code} ${national}`, `+${code} (${national.slice(0, 2)}) ${national.slice(2, 5)}-${national.slice(5)}`, national][style]!;
    return [written, style === 4 ? country : null];
  });

const defaultCountry = fc.oneof(fc.constantFrom(null, undefined, 'US', 'BR', 'DE', 'GB', 'IN', 'MX', 'PT', 'NG', 'XX', 'br', '', 'USA', '__proto__'), fc.string({ maxLength: 4 }));

function expectClear(result: PhoneResult): void {
  if (result.ok) {
    expect(result.e164).toMatch(E164);
  } else {
    expect(REASONS).toContain(result.reason);
    expect(result.message).toMatch(/\S/);
    expect(result.message.length).toBeLessThan(200);
  }
}

describe('normalizePhone under fuzzing', () => {
  it('turns any text, with any default country, into a valid E.164 number or a clear rejection, never a throw (300 runs)', () => {
    fc.assert(fc.property(fc.oneof(fc.tuple(phoneText, defaultCountry), mobileText), ([raw, country]) => expectClear(normalizePhone(raw, country))), { numRuns: 300 });
  });

  it('is idempotent: a normalised number normalises to itself, with and without a default country (300 runs)', () => {
    let normalised = 0;
    const input = fc.oneof(fc.tuple(phoneText, defaultCountry), mobileText);
    fc.assert(
      fc.property(input, ([raw, country]) => {
        const first = normalizePhone(raw, country);
        if (!first.ok) return;
        normalised += 1;
        for (const again of [normalizePhone(first.e164), normalizePhone(first.e164, country)]) {
          expect(again).toMatchObject({ ok: true, e164: first.e164 });
        }
      }),
      { numRuns: 300 },
    );
    // The generator must reach the interesting branch, or the property proves nothing.
    expect(normalised).toBeGreaterThan(60);
  });
});
