// Storage guarantees, on every engine the run has (PGlite always; PostgreSQL in CI).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deriveConsent, type ConsentEvent } from '../../src/domain/consent.ts';
import { insertConsentEventsByPhone } from '../../src/store/consent-events.ts';
import { listContacts, upsertContacts } from '../../src/store/contacts.ts';
import { listMigrations, migrate } from '../../src/store/migrate.ts';
import { createTestDb } from '../helpers/test-db.ts';
import { testBackends } from '../helpers/test-backends.ts';

const now = new Date('2026-01-01T00:00:00Z');

describe.each(testBackends)('storage on %s', (kind) => {
  it('applies every numbered migration file once, and a second start applies nothing', async () => {
    const db = await createTestDb(kind);
    const applied = await db.query<{ version: number; name: string }>('select version, name from schema_migrations order by version');
    expect(applied.map((row) => row.name)).toEqual(listMigrations().map((migration) => migration.name));
    expect(await migrate(db)).toEqual([]);
  });

  it('rolls a transaction back when its work throws', async () => {
    const db = await createTestDb(kind);
    await expect(
      db.transaction(async (tx) => {
        await upsertContacts(tx, [contact('+4915112345678')], now);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db.query('select * from contacts')).toEqual([]);
  });

  it('refuses to change or delete a consent event: the ledger is append-only', async () => {
    const db = await createTestDb(kind);
    await upsertContacts(db, [contact('+4915112345678')], now);
    await insertConsentEventsByPhone(db, [{ phone: '+4915112345678', category: 'marketing', kind: 'opt_in', occurredAt: now, source: 'test', proof: 'yes' }], now);
    await expect(db.query("update consent_events set kind = 'opt_out'")).rejects.toThrow(/append-only/);
    await expect(db.query('delete from consent_events')).rejects.toThrow(/append-only/);
    expect(await db.query('select kind from consent_events')).toEqual([{ kind: 'opt_in' }]);
  });

  it('records the same consent fact once, however often it is recorded', async () => {
    const db = await createTestDb(kind);
    await upsertContacts(db, [contact('+4915112345678')], now);
    const event = { phone: '+4915112345678', category: 'marketing' as const, kind: 'opt_in' as const, occurredAt: now, source: 'test', proof: 'yes' };
    expect((await insertConsentEventsByPhone(db, [event], now)).size).toBe(1);
    expect((await insertConsentEventsByPhone(db, [event], now)).size).toBe(0);
    expect(await db.query('select count(*) as count from consent_events')).toEqual([{ count: 1 }]);
  });

  it('derives the same current consent in SQL as the pure rule does, for any sequence of events', async () => {
    const db = await createTestDb(kind);
    const eventArbitrary = fc.record({
      category: fc.constantFrom('marketing' as const, 'utility' as const),
      kind: fc.constantFrom('opt_in' as const, 'opt_out' as const),
      // A few distinct instants, so ties between an opt-in and an opt-out happen often.
      occurredAt: fc.integer({ min: 0, max: 5 }).map((day) => new Date(Date.UTC(2025, 0, 1 + day))),
    });
    let counter = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(eventArbitrary, { maxLength: 8 }), async (drafts) => {
        counter += 1;
        const phone = `+49151${String(10_000_000 + counter)}`;
        await upsertContacts(db, [contact(phone)], now);
        const events: ConsentEvent[] = drafts.map((draft) => ({ ...draft, source: 'property', proof: 'yes' }));
        await insertConsentEventsByPhone(db, events.map((event) => ({ ...event, phone })), now);
        const [listed] = (await listContacts(db, { limit: 10_000 })).filter((item) => item.phone === phone);
        const expected = deriveConsent(events);
        expect({ marketing: listed?.marketing, utility: listed?.utility }).toEqual({ marketing: expected.marketing.state, utility: expected.utility.state });
      }),
      { numRuns: 40, seed: 20261124 },
    );
  });
});

function contact(phone: string) {
  return { phone, name: null, language: null, country: 'DE', timeZone: 'Europe/Berlin', timeZoneOverridden: false, lineType: 'mobile' as const, attributes: {}, tags: [] };
}
