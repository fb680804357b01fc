// The contacts API on every engine: search and pages, one contact with its consent ledger, opt-in and
// opt-out through recordConsent, and the CSV import with its size bound. Every route refuses a missing
// token (401), names the bad field (400), and answers 404 for an unknown contact.

import { describe, expect, it } from 'vitest';
import { findOrCreateContactByIdentity } from '../../src/store/contact-identities.ts';
import { createApiHarness, type ApiHarness } from '../helpers/api-harness.ts';
import { MIXED_AUDIENCE, opted } from '../helpers/campaign-harness.ts';
import { testBackends } from '../helpers/test-backends.ts';

const ANNA = '+4915112345001';
const OLAF = '+4915112345004';
const NINA = '+4915112345005';

async function withAudience(kind: Parameters<typeof createApiHarness>[0]): Promise<ApiHarness> {
  const h = await createApiHarness(kind);
  await h.addPeople([...MIXED_AUDIENCE, opted('+4915112345009', 'Vera Vip', { tags: ['customers', 'vip'] })]);
  return h;
}

async function idOf(h: ApiHarness, phone: string): Promise<number> {
  const [row] = await h.db.query<{ id: number }>('select id from contacts where phone = $1', [phone]);
  return row!.id;
}

/** A person Meta knows only by a business-scoped user id (§6.5): no phone number on file. */
async function bsuidOnlyContact(h: ApiHarness): Promise<number> {
  const { id } = await findOrCreateContactByIdentity(h.db, { phone: null, waId: null, businessUserId: 'US.13491208655302741918', country: null, timeZone: null, name: 'No Number' }, h.simulator.clock.now());
  return id;
}

describe.each(testBackends)('contacts API on %s', (kind) => {
  describe('GET /api/contacts', () => {
    it('pages every contact in id order with nextAfter and the total the filters match', async () => {
      const h = await withAudience(kind);
      const first = await h.call('GET', '/api/contacts?limit=5');
      expect(first.status).toBe(200);
      expect(first.body.total).toBe(9);
      expect(first.body.items).toHaveLength(5);
      expect(first.body.items[0]).toMatchObject({ phone: ANNA, name: 'Anna Schmidt', language: 'en_US', country: 'DE', tags: ['customers'], marketing: 'opted_in', utility: 'unknown' });
      expect(typeof first.body.items[0].createdAt).toBe('string');
      expect(first.body.nextAfter).toBe(first.body.items[4].id);
      const rest = await h.call('GET', `/api/contacts?limit=5&after=${first.body.nextAfter}`);
      expect(rest.body.items).toHaveLength(4);
      expect(rest.body.nextAfter).toBeNull();
      expect(new Set([...first.body.items, ...rest.body.items].map((contact: { id: number }) => contact.id)).size).toBe(9);
    });

    it('finds contacts by part of the name or of the number, by tag and by marketing consent', async () => {
      const h = await withAudience(kind);
      const phones = async (query: string): Promise<string[]> => {
        const items: Array<{ phone: string }> = (await h.call('GET', `/api/contacts?${query}`)).body.items;
        return items.map((contact) => contact.phone);
      };
      expect(await phones('q=schmi')).toEqual([ANNA]);
      expect(await phones(`q=${encodeURIComponent('+49 151 1234 5004')}`)).toEqual([OLAF]);
      expect(await phones('q=100%25')).toEqual([]);
      expect(await phones('tag=vip')).toEqual(['+4915112345009']);
      expect(await phones('consent=opted_out')).toEqual([OLAF]);
      expect(await phones('consent=none')).toEqual([NINA]);
      const filtered = await h.call('GET', '/api/contacts?consent=opted_in&q=49151');
      expect(filtered.body.total).toBe(filtered.body.items.length);
      expect(filtered.body.items.map((contact: { marketing: string }) => contact.marketing)).toEqual(Array(filtered.body.total).fill('opted_in'));
    });

    it('answers 400 naming the field for a bad limit or consent filter, and 401 without a token', async () => {
      const h = await withAudience(kind);
      const badLimit = await h.call('GET', '/api/contacts?limit=0');
      expect(badLimit.status).toBe(400);
      expect(badLimit.body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'limit' });
      expect((await h.call('GET', '/api/contacts?consent=maybe')).body.error.field).toBe('consent');
      expect((await h.call('GET', '/api/contacts', { token: null })).status).toBe(401);
    });
  });

  describe('GET /api/contacts/:id', () => {
    it('shows the contact, its consent per category, the ledger newest first, suppressions and the window', async () => {
      const h = await withAudience(kind);
      const olaf = await h.call('GET', `/api/contacts/${await idOf(h, OLAF)}`);
      expect(olaf.status).toBe(200);
      expect(olaf.body.contact).toMatchObject({ phone: OLAF, name: 'Olaf Opted-Out', marketing: 'opted_out', utility: 'unknown' });
      expect(olaf.body.consent.marketing).toMatchObject({ state: 'opted_out', source: 'test signup form' });
      expect(olaf.body.history.map((event: { kind: string }) => event.kind)).toEqual(['opt_out', 'opt_in']);
      expect(olaf.body.history[0]).toMatchObject({ category: 'marketing', source: 'test signup form', proof: 'Yes, send me offers on WhatsApp' });
      expect(olaf.body.suppressions).toEqual([]);
      expect(olaf.body.serviceWindow).toEqual({ open: false, closesAt: null });
    });

    it('answers 404 for an unknown id, 400 naming `id` for a non-number, and 401 with a wrong token', async () => {
      const h = await withAudience(kind);
      const missing = await h.call('GET', '/api/contacts/999999');
      expect(missing.status).toBe(404);
      expect(missing.body.error.code).toBe('NOT_FOUND');
      const bad = await h.call('GET', '/api/contacts/abc');
      expect(bad.status).toBe(400);
      expect(bad.body.error.field).toBe('id');
      expect((await h.call('GET', '/api/contacts/1', { token: 'glt_wrong' })).status).toBe(401);
    });
  });

  describe('POST /api/contacts/:id/opt-in', () => {
    it('records the opt-in with its proof (201) and answers the contact as GET shows it', async () => {
      const h = await withAudience(kind);
      const nina = await idOf(h, NINA);
      const answer = await h.call('POST', `/api/contacts/${nina}/opt-in`, { body: { category: 'marketing', source: 'shop counter', proof: 'Yes, WhatsApp offers from Greenlight Shop' } });
      expect(answer.status).toBe(201);
      expect(answer.body.contact.marketing).toBe('opted_in');
      expect(answer.body.history[0]).toMatchObject({ kind: 'opt_in', category: 'marketing', source: 'shop counter', proof: 'Yes, WhatsApp offers from Greenlight Shop' });
      expect((await h.call('GET', `/api/contacts/${nina}`)).body).toEqual(answer.body);
    });

    it('refuses an opt-in without proof (400 field `proof`) and records nothing', async () => {
      const h = await withAudience(kind);
      const nina = await idOf(h, NINA);
      const answer = await h.call('POST', `/api/contacts/${nina}/opt-in`, { body: { category: 'marketing', source: 'shop counter', proof: '  ' } });
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'proof' });
      expect((await h.call('GET', `/api/contacts/${nina}`)).body.history).toEqual([]);
    });

    it('answers 404 for an unknown contact, 401 without a token, and 409 for a contact with no phone number', async () => {
      const h = await withAudience(kind);
      const body = { category: 'utility', source: 'call center', proof: 'Yes, order updates on WhatsApp' };
      expect((await h.call('POST', '/api/contacts/999999/opt-in', { body })).status).toBe(404);
      expect((await h.call('POST', `/api/contacts/${await idOf(h, NINA)}/opt-in`, { body, token: null })).status).toBe(401);
      const noPhone = await h.call('POST', `/api/contacts/${await bsuidOnlyContact(h)}/opt-in`, { body });
      expect(noPhone.status).toBe(409);
      expect(noPhone.body.error.code).toBe('INVALID_STATE');
    });
  });

  describe('POST /api/contacts/:id/opt-out', () => {
    it('records an opt-out of every category (200), and a repeat records nothing and answers the same', async () => {
      const h = await withAudience(kind);
      const anna = await idOf(h, ANNA);
      const first = await h.call('POST', `/api/contacts/${anna}/opt-out`, { body: { category: 'all', source: 'phone call' } });
      expect(first.status).toBe(200);
      expect(first.body.consent.marketing.state).toBe('opted_out');
      expect(first.body.consent.utility.state).toBe('opted_out');
      expect(first.body.history.slice(0, 2).map((event: { kind: string; source: string }) => [event.kind, event.source])).toEqual([['opt_out', 'phone call'], ['opt_out', 'phone call']]);
      await h.simulator.advance(60_000);
      const again = await h.call('POST', `/api/contacts/${anna}/opt-out`, { body: { category: 'marketing' } });
      expect(again.status).toBe(200);
      expect(again.body.history).toEqual(first.body.history);
    });

    it('records the opt-out of a contact known only by Meta\'s user id: a request to stop is always heard', async () => {
      const h = await withAudience(kind);
      const answer = await h.call('POST', `/api/contacts/${await bsuidOnlyContact(h)}/opt-out`, { body: { category: 'marketing' } });
      expect(answer.status).toBe(200);
      expect(answer.body.consent.marketing).toMatchObject({ state: 'opted_out', source: 'api' });
    });

    it('answers 400 naming `category` for an unknown one, 404 for an unknown contact, and 401 without a token', async () => {
      const h = await withAudience(kind);
      const anna = await idOf(h, ANNA);
      const bad = await h.call('POST', `/api/contacts/${anna}/opt-out`, { body: { category: 'sms' } });
      expect(bad.status).toBe(400);
      expect(bad.body.error.field).toBe('category');
      expect((await h.call('POST', '/api/contacts/999999/opt-out', { body: { category: 'all' } })).status).toBe(404);
      expect((await h.call('POST', `/api/contacts/${anna}/opt-out`, { body: { category: 'all' }, token: null })).status).toBe(401);
      expect((await h.call('GET', `/api/contacts/${anna}`)).body.contact.marketing).toBe('opted_in');
    });
  });

  describe('POST /api/contacts/import', () => {
    const csv = 'phone,name,opt_in_at,opt_in_text\n+4915112340001,Ada,2026-11-01T10:00:00Z,Yes to WhatsApp offers\n+4915112340002,Ben,,\nnot-a-number,Cem,,\n';

    it('imports a text/csv body and answers the summary with each rejected row', async () => {
      const h = await createApiHarness(kind);
      const answer = await h.call('POST', '/api/contacts/import?source=spring%20fair&consent=marketing&fileName=fair.csv', { rawBody: csv, contentType: 'text/csv' });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ fileName: 'fair.csv', dryRun: false, rows: 3, created: 2, rejected: 1, consentEventsRecorded: 1, rejectedByReason: { invalid_phone: 1 } });
      const ada = (await h.call('GET', '/api/contacts?q=Ada')).body.items[0];
      expect(ada).toMatchObject({ phone: '+4915112340001', marketing: 'opted_in', utility: 'unknown' });
      expect((await h.call('GET', `/api/contacts/${ada.id}`)).body.history[0]).toMatchObject({ source: 'spring fair', proof: 'Yes to WhatsApp offers' });
    });

    it('writes nothing on a dry run or a file it cannot read (400 INVALID_CSV)', async () => {
      const h = await createApiHarness(kind);
      const dry = await h.call('POST', '/api/contacts/import?dryRun=true', { rawBody: csv, contentType: 'text/csv' });
      expect(dry.body).toMatchObject({ dryRun: true, created: 2 });
      const empty = await h.call('POST', '/api/contacts/import', { rawBody: '', contentType: 'text/csv' });
      expect(empty.status).toBe(400);
      expect(empty.body.error.code).toBe('INVALID_CSV');
      expect((await h.call('GET', '/api/contacts')).body.total).toBe(0);
    });

    it('answers 400 naming the query parameter that is not valid, and 401 without a token', async () => {
      const h = await createApiHarness(kind);
      const badConsent = await h.call('POST', '/api/contacts/import?consent=sms', { rawBody: csv, contentType: 'text/csv' });
      expect(badConsent.status).toBe(400);
      expect(badConsent.body.error.field).toBe('consent');
      expect((await h.call('POST', '/api/contacts/import?defaultCountry=Germany', { rawBody: csv, contentType: 'text/csv' })).body.error.field).toBe('defaultCountry');
      expect((await h.call('POST', '/api/contacts/import', { rawBody: csv, contentType: 'text/csv', token: null })).status).toBe(401);
      expect((await h.call('GET', '/api/contacts')).body.total).toBe(0);
    });

    it('refuses a body over 20 MB with 413 PAYLOAD_TOO_LARGE and imports none of it', async () => {
      const h = await createApiHarness(kind);
      // Valid rows first, so the refusal must roll back what was already written in the import's transaction.
      const rows = Array.from({ length: 50 }, (_, index) => `+49151123${String(index).padStart(5, '0')},Person ${index}`).join('\n');
      const huge = `phone,name\n${rows}\n${'\n'.repeat(21 * 1024 * 1024)}`;
      const answer = await h.call('POST', '/api/contacts/import', { rawBody: huge, contentType: 'text/csv' });
      expect(answer.status).toBe(413);
      expect(answer.body.error.code).toBe('PAYLOAD_TOO_LARGE');
      expect((await h.call('GET', '/api/contacts')).body.total).toBe(0);
      const declared = await h.call('POST', '/api/contacts/import', { rawBody: csv, contentType: 'text/csv', headers: { 'content-length': String(25 * 1024 * 1024) } });
      expect(declared.status).toBe(413);
    });
  });
});
