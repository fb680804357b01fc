// Guarantee: a campaign export opened in a spreadsheet never runs a formula planted in a contact's name
// (CSV injection). spreadsheetSafe neutralises every text that starts with = + - @, a tab or a CR and
// leaves every other text as it was; GET /api/campaigns/:id/export writes names through it, so no cell
// of the export starts with a formula character except the E.164 phone, which starts with + by design.

import { parse as parseCsv } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RECIPIENT_COLUMNS, spreadsheetSafe } from '../../src/actions/export-campaign-recipients.ts';
import { createApiHarness } from '../helpers/api-harness.ts';
import { campaignDocument, MIXED_AUDIENCE } from '../helpers/campaign-harness.ts';
import { testBackends } from '../helpers/test-backends.ts';

const FORMULA_START = /^[=+\-@\t\r]/;

/** Names as an attacker would write them: formula starters first, then anything. */
const hostileText = fc.oneof(
  fc.tuple(fc.constantFrom('=', '+', '-', '@', '\t', '\r', '=='), fc.string({ maxLength: 30 })).map(([start, rest]) => start + rest),
  fc.constantFrom('=HYPERLINK("https://evil.example","x")', "=cmd|' /C calc'!A0", '@SUM(1+1)*cmd|\' /C calc\'!A0', '+1+1', '-2+3', "'=already quoted", '\r\n=1', '\t=1'),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
// PostgreSQL text cannot hold U+0000 at all, so no stored name can contain one.
).map((text) => text.replaceAll('\u0000', ''));

describe('spreadsheetSafe under fuzzing', () => {
  it('neutralises every text starting with = + - @, tab or CR with a leading apostrophe, and changes no other text (1000 runs)', () => {
    fc.assert(
      fc.property(hostileText, (value) => {
        const safe = spreadsheetSafe(value);
        expect(safe).not.toMatch(FORMULA_START);
        expect(safe).toBe(FORMULA_START.test(value) ? `'${value}` : value);
      }),
      { numRuns: 1000 },
    );
    expect(spreadsheetSafe(null)).toBe('');
  });
});

describe.each(testBackends)('campaign export under fuzzing on %s', (kind) => {
  it('writes every contact name through spreadsheetSafe, so no exported cell but the phone starts a formula (25 runs)', async () => {
    const h = await createApiHarness(kind);
    await h.addPeople([...MIXED_AUDIENCE]);
    const created = await h.call('POST', '/api/campaigns', { body: campaignDocument() });
    expect(created.status, created.text).toBe(201);
    const id = (created.body as { campaign: { id: number } }).campaign.id;
    expect((await h.call('POST', `/api/campaigns/${id}/launch`)).status).toBe(200);
    await h.runFor(30_000);
    const phones = MIXED_AUDIENCE.map((person) => person.phone);

    await fc.assert(
      fc.asyncProperty(fc.array(hostileText, { minLength: phones.length, maxLength: phones.length }), async (names) => {
        // The names are written straight to the table: the export must be safe for whatever a past import or a WhatsApp profile left there.
        for (const [index, phone] of phones.entries()) await h.db.query('update contacts set name = $1 where phone = $2', [names[index], phone]);
        const exported = await h.call('GET', `/api/campaigns/${id}/export`);
        expect(exported.status).toBe(200);
        const rows: Array<Record<(typeof RECIPIENT_COLUMNS)[number], string>> = parseCsv(exported.text, { columns: true });
        expect(rows.length).toBe(phones.length);
        for (const row of rows) {
          const index = phones.indexOf(row.phone);
          expect(index, row.phone).toBeGreaterThanOrEqual(0);
          expect(row.name).toBe(spreadsheetSafe(names[index]!));
          for (const column of RECIPIENT_COLUMNS) {
            if (column === 'phone') expect(row.phone).toMatch(/^\+[1-9]\d{6,14}$/);
            else expect(row[column], `${column} = ${JSON.stringify(row[column])}`).not.toMatch(FORMULA_START);
          }
        }
      }),
      { numRuns: 25 },
    );
  });
});
