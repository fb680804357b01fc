// Guarantee: any file given to the contacts import ends in exactly one of two ways — a summary, or an
// AppError INVALID_CSV with a clear message — and INVALID_CSV writes nothing (no contact, no consent
// event). No other error escapes (it would be a 500 on the API), and a record-size limit refuses a huge
// line quickly instead of buffering it.

import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importContacts } from '../../src/actions/import-contacts.ts';
import { AppError } from '../../src/errors.ts';
import { createManualClock } from '../../src/lib/clock.ts';
import type { Db } from '../../src/store/db.ts';
import { createTestDb } from '../helpers/test-db.ts';
import { testBackends } from '../helpers/test-backends.ts';

const clock = createManualClock(new Date('2026-01-01T00:00:00Z'));

function stream(bytes: Buffer, chunkSize: number): Readable {
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += chunkSize) chunks.push(bytes.subarray(offset, offset + chunkSize));
  return Readable.from(chunks);
}

async function counts(db: Db): Promise<{ contacts: number; consentEvents: number }> {
  const [row] = await db.query<{ contacts: number; consent_events: number }>('select (select count(*) from contacts)::int as contacts, (select count(*) from consent_events)::int as consent_events');
  return { contacts: Number(row!.contacts), consentEvents: Number(row!.consent_events) };
}

const field = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('+4915112345678', '+5511987654321', '4915112345001', '+1 202 555 0123', '(11) 91234-5678', 'Ana', 'João Silva', 'en', 'pt_BR', 'vip;customers', 'yes', 'no', 'opted_in', '') },
  { weight: 2, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.constantFrom('"', '""', '"unterminated', 'a"b', '"quoted, with delimiter"', '\u0000', 'x\u0000y', '\uFEFF', '\r', '\n', '\r\n', 'é'.repeat(300)) },
  { weight: 1, arbitrary: fc.nat(70_000).map((length) => 'x'.repeat(length)) },
);
const header: fc.Arbitrary<string[]> = fc.oneof(
  fc.constantFrom<string[]>(['phone'], ['phone', 'name'], ['Phone', 'Name', 'Language', 'Tags'], ['whatsapp', 'first name', 'country'], ['name', 'email'], ['phone', 'phone'], ['']),
  fc.array(fc.string({ maxLength: 12 }), { minLength: 1, maxLength: 5 }),
);

/** CSV-ish files: a header, rows of odd fields, a random delimiter, quoting, BOM and line endings. */
const csvText = fc.oneof(
  { weight: 4, arbitrary: fc.record({
    bom: fc.boolean(),
    delimiter: fc.constantFrom(',', ';', '\t', '|', ' ', '"', ''),
    newline: fc.constantFrom('\n', '\r\n', '\r'),
    quote: fc.constantFrom('never', 'always', 'sometimes'),
    header,
    rows: fc.array(fc.array(field, { maxLength: 6 }), { maxLength: 8 }),
    trailer: fc.constantFrom('', '\n', '"', '\u0000'),
  }).map(({ bom, delimiter, newline, quote, header: names, rows, trailer }) => {
    const cell = (value: string, index: number) => (quote === 'always' || (quote === 'sometimes' && index % 2 === 0) ? `"${value.replaceAll('"', '""')}"` : value);
    const lines = [names, ...rows].map((cells) => cells.map(cell).join(delimiter));
    return (bom ? '\uFEFF' : '') + lines.join(newline) + trailer;
  }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 300 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
);

describe.each(testBackends)('contacts import under fuzzing on %s', (kind) => {
  it('ends every CSV-ish file in a summary or INVALID_CSV, and INVALID_CSV writes nothing (100 runs)', async () => {
    const db = await createTestDb(kind);
    let summaries = 0;
    let refusals = 0;
    await fc.assert(
      fc.asyncProperty(csvText, fc.constantFrom(1, 7, 64, 65_536), fc.constantFrom(undefined, 'DE', 'BR'), async (text, chunkSize, defaultCountry) => {
        const before = await counts(db);
        try {
          const summary = await importContacts({ db, clock }, stream(Buffer.from(text), chunkSize), { fileName: 'fuzz.csv', defaultCountry });
          summaries += 1;
          expect(summary.created + summary.updated + summary.unchanged + summary.rejected).toBe(summary.rows);
          expect(await counts(db)).toMatchObject({ contacts: before.contacts + summary.created });
        } catch (error) {
          expect(error, String(error)).toBeInstanceOf(AppError);
          expect((error as AppError).code, (error as Error).message).toBe('INVALID_CSV');
          expect((error as Error).message).toMatch(/nothing was imported/);
          refusals += 1;
          expect(await counts(db)).toEqual(before);
        }
      }),
      { numRuns: 100 },
    );
    // Both outcomes must be reached, or the property says nothing about one of them.
    expect({ summaries: summaries > 5, refusals: refusals > 5 }, `${summaries} summaries, ${refusals} refusals`).toEqual({ summaries: true, refusals: true });
  }, 120_000);

  it.each([
    ['a 10 MB single line after the header', () => `phone,name\n+4915112345678,${'x'.repeat(10 * 1024 * 1024)}\n`],
    ['a 10 MB header line', () => `phone,${'x'.repeat(10 * 1024 * 1024)}\n+4915112345678,Ana\n`],
    ['a 10 MB quoted field that never closes', () => `phone,name\n+4915112345678,"${'x'.repeat(10 * 1024 * 1024)}`],
  ])('refuses %s with INVALID_CSV quickly and writes nothing', async (_what, make) => {
    const db = await createTestDb(kind);
    const started = performance.now();
    const outcome = importContacts({ db, clock }, stream(Buffer.from(make()), 65_536), { fileName: 'huge.csv' });
    await expect(outcome).rejects.toMatchObject({ code: 'INVALID_CSV', message: expect.stringMatching(/huge\.csv.*(record|field|size|length).*nothing was imported/i) as string });
    // The limit is 64 KiB per record: the parser stops there instead of reading 10 MB into one field.
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(await counts(db)).toEqual({ contacts: 0, consentEvents: 0 });
  });
});
