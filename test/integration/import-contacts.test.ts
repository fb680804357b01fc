// The contacts import, end to end through the real action and database, on every engine.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { importContacts, maxRejectionsKept, type ImportOptions } from '../../src/actions/import-contacts.ts';
import { recordConsent } from '../../src/actions/record-consent.ts';
import { AppError } from '../../src/errors.ts';
import { createManualClock } from '../../src/lib/clock.ts';
import type { Db } from '../../src/store/db.ts';
import { findContactByPhone, listContacts } from '../../src/store/contacts.ts';
import { createTestDb } from '../helpers/test-db.ts';
import { testBackends } from '../helpers/test-backends.ts';

const clock = createManualClock(new Date('2026-01-01T00:00:00Z'));

function csv(text: string, chunkSize = 7): Readable {
  // Small chunks make records straddle chunk boundaries, as they do when a large file streams in.
  const chunks: Buffer[] = [];
  const bytes = Buffer.from(text);
  for (let offset = 0; offset < bytes.length; offset += chunkSize) chunks.push(bytes.subarray(offset, offset + chunkSize));
  return Readable.from(chunks);
}

async function runImport(db: Db, text: string, options: Partial<ImportOptions> = {}) {
  return importContacts({ db, clock }, csv(text), { fileName: 'contacts.csv', ...options });
}

async function snapshot(db: Db) {
  return {
    contacts: await db.query('select * from contacts order by id'),
    events: await db.query('select * from consent_events order by id'),
  };
}

const sample = [
  'phone,name,language,tags,opt_in_at,opt_in_text,city',
  '+55 11 91234-5678,Ana,pt_BR,vip,2025-06-01,Quero ofertas no WhatsApp,São Paulo',
  '+52 55 1234 5678,Luis,es_MX,,2025-06-02T10:00:00Z,Acepto mensajes por WhatsApp,CDMX',
  '+49 151 12345678,Max,de,"a,b",,,Berlin',
].join('\n');

describe.each(testBackends)('contacts import on %s', (kind) => {
  it('creates contacts and their opt-in events, and counts them', async () => {
    const db = await createTestDb(kind);
    const summary = await runImport(db, sample);
    expect(summary).toMatchObject({ rows: 3, created: 3, updated: 0, unchanged: 0, rejected: 0, consentEventsRecorded: 4 });
    expect(await findContactByPhone(db, '+4915112345678')).toMatchObject({ name: 'Max', tags: ['a', 'b'], attributes: { city: 'Berlin' }, timeZone: 'Europe/Berlin' });
  });

  it('is idempotent: re-importing the same file reports every row unchanged and writes nothing', async () => {
    const db = await createTestDb(kind);
    await runImport(db, sample);
    const before = await snapshot(db);
    clock.advanceMs(60_000);
    const again = await runImport(db, sample);
    expect(again).toMatchObject({ rows: 3, created: 0, updated: 0, unchanged: 3, rejected: 0, consentEventsRecorded: 0 });
    expect(await snapshot(db)).toEqual(before);
  });

  it('merges a later file: new values replace old ones, empty cells keep them, tags and attributes add up', async () => {
    const db = await createTestDb(kind);
    await runImport(db, sample);
    const summary = await runImport(db, ['phone,name,tags,plan', '+4915112345678,,c,gold', '+5511912345678,Ana Maria,,'].join('\n'));
    expect(summary).toMatchObject({ created: 0, updated: 2, unchanged: 0 });
    expect(await findContactByPhone(db, '+4915112345678')).toMatchObject({ name: 'Max', tags: ['a', 'b', 'c'], attributes: { city: 'Berlin', plan: 'gold' } });
    expect(await findContactByPhone(db, '+5511912345678')).toMatchObject({ name: 'Ana Maria', tags: ['vip'] });
  });

  it('reports every rejected row with its line number and reason, and imports the good rows around them', async () => {
    const db = await createTestDb(kind);
    const text = [
      'phone,name,opt_in_at,opt_in_text', // line 1
      '+5511912345678,"Ana', // line 2: a quoted name spanning two lines
      'Maria",,', // line 3
      '', // line 4: blank lines are skipped but still counted
      '12345,Bad number,,', // line 5
      '+4915112345678,Max,01/02/2025,ok', // line 6
      '+55 11 91234-5678,Ana again,,', // line 7: the same number as line 2
      '+4915112345679,Too,many,fields,here', // line 8
      '+44 20 7123 4567,Landline,,', // line 9
      '+34612345678,Eva,,', // line 10
    ].join('\r\n');
    const summary = await runImport(db, text);
    expect(summary).toMatchObject({ rows: 7, created: 2, rejected: 5 });
    expect(summary.rejections.map(({ line, reason }) => ({ line, reason }))).toEqual([
      { line: 5, reason: 'invalid_phone' },
      { line: 6, reason: 'bad_date' },
      { line: 7, reason: 'duplicate_in_file' },
      { line: 8, reason: 'wrong_field_count' },
      { line: 9, reason: 'not_mobile' },
    ]);
    expect(summary.rejections[2]?.message).toContain('line 2');
    expect(summary.rejectedByReason).toEqual({ invalid_phone: 1, bad_date: 1, duplicate_in_file: 1, wrong_field_count: 1, not_mobile: 1 });
    expect((await listContacts(db, { limit: 10 })).map((contact) => contact.phone)).toEqual(['+5511912345678', '+34612345678']);
  });

  it('keeps memory bounded with many bad rows: counts them all, keeps the first 1,000, and hands every one to onReject', async () => {
    const db = await createTestDb(kind);
    const text = ['phone', ...Array.from({ length: 1200 }, (_, index) => `bad-${index}`)].join('\n');
    const seen: number[] = [];
    const summary = await runImport(db, text, { onReject: (rejection) => seen.push(rejection.line) });
    expect(summary).toMatchObject({ rows: 1200, rejected: 1200, rejectedByReason: { invalid_phone: 1200 } });
    expect(summary.rejections).toHaveLength(maxRejectionsKept);
    expect(seen).toHaveLength(1200);
    expect(seen.at(-1)).toBe(1201);
  });

  it('writes nothing when the file turns out to be malformed, even after earlier batches were written', async () => {
    const db = await createTestDb(kind);
    const good = Array.from({ length: 2500 }, (_, index) => `+49151${String(10_000_000 + index)},Person ${index}`);
    const text = ['phone,name', ...good, '+4915199999999,"never closed'].join('\n');
    const error = await runImport(db, text, { }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'INVALID_CSV', message: expect.stringContaining('nothing was imported') as string });
    expect(await db.query('select count(*) as count from contacts')).toEqual([{ count: 0 }]);
  });

  it.each([
    ['an empty file', '', 'is empty'],
    ['a file without a phone column', 'name,email\nAna,a@example.com', 'no phone column'],
    ['a binary file', '\u0000\u0001\u0002PK', 'binary'],
  ])('refuses %s with a clear error and writes nothing', async (_what, text, message) => {
    const db = await createTestDb(kind);
    await expect(runImport(db, text)).rejects.toMatchObject({ code: 'INVALID_CSV', message: expect.stringContaining(message) as string });
    expect(await db.query('select count(*) as count from contacts')).toEqual([{ count: 0 }]);
  });

  it('reads semicolon-separated files with a byte-order mark, as spreadsheet programs write them', async () => {
    const db = await createTestDb(kind);
    const summary = await runImport(db, '\uFEFFTelefone;Nome;Cidade\n(11) 91234-5678;Ana;"Rio; RJ"\n', { defaultCountry: 'BR' });
    expect(summary).toMatchObject({ created: 1, rejected: 0 });
    expect(await findContactByPhone(db, '+5511912345678')).toMatchObject({ name: 'Ana', attributes: { cidade: 'Rio; RJ' } });
  });

  it('counts a dry run exactly like the real import, and writes nothing', async () => {
    const db = await createTestDb(kind);
    const summary = await runImport(db, sample, { dryRun: true });
    expect(summary).toMatchObject({ dryRun: true, created: 3, consentEventsRecorded: 4 });
    expect(await db.query('select count(*) as count from contacts')).toEqual([{ count: 0 }]);
  });

  it('lets an opt-out recorded after an opt-in win, and one recorded before it lose', async () => {
    const db = await createTestDb(kind);
    await runImport(db, ['phone,opt_in_at,opt_in_text', '+4915112345678,2025-03-01,Yes to WhatsApp offers', '+34612345678,2025-03-01,Sí a ofertas'].join('\n'));
    // Opted out after opting in: the opt-out wins.
    await recordConsent({ db, clock }, { phone: '+4915112345678', kind: 'opt_out', categories: ['marketing'], source: 'whatsapp:STOP', proof: 'STOP', occurredAt: new Date('2025-04-01T00:00:00Z') });
    // An opt-out that happened before the opt-in (recorded late) loses to it.
    await recordConsent({ db, clock }, { phone: '+34612345678', kind: 'opt_out', categories: ['marketing'], source: 'support ticket', occurredAt: new Date('2025-02-01T00:00:00Z') });
    const contacts = await listContacts(db, { limit: 10 });
    expect(contacts.map(({ phone, marketing, utility }) => ({ phone, marketing, utility }))).toEqual([
      { phone: '+4915112345678', marketing: 'opted_out', utility: 'opted_in' },
      { phone: '+34612345678', marketing: 'opted_in', utility: 'opted_in' },
    ]);
  });

  it('keeps an opt-out from a number not yet imported, so a later import cannot make it reachable', async () => {
    const db = await createTestDb(kind);
    const result = await recordConsent({ db, clock }, { phone: '+4915112345678', kind: 'opt_out', categories: ['marketing', 'utility'], source: 'email to support' });
    expect(result).toMatchObject({ contactCreated: true, consent: { marketing: { state: 'opted_out' } } });
    clock.advanceMs(1000);
    await runImport(db, 'phone,opt_in_at,opt_in_text\n+4915112345678,2025-01-01,old opt-in');
    const [contact] = await listContacts(db, { limit: 1 });
    expect(contact).toMatchObject({ marketing: 'opted_out', utility: 'opted_out' });
  });
});
