// Erasure of a contact's personal data, on every engine: after POST /api/contacts/:id/erase (or
// `greenlight contacts erase`) the person's number, name, words and device appear in no table; the
// consent ledger stays as evidence; the number's keyed hash keeps it from ever being messaged again,
// whether it comes back through a CSV import or an inbound message. The SQL HMAC equals node:crypto's.

import { createHmac, randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { hmacPads } from '../../src/actions/erase-contact.ts';
import { processWebhookEvents } from '../../src/actions/process-webhook-events.ts';
import { createApiHarness, type ApiHarness } from '../helpers/api-harness.ts';
import { campaignDocument, campaignMessages, MIXED_AUDIENCE, PHONE_ID, WABA_ID } from '../helpers/campaign-harness.ts';
import { runCliCaptured } from '../helpers/cli-capture.ts';
import { createTestDb } from '../helpers/test-db.ts';
import { testBackends } from '../helpers/test-backends.ts';

const ANNA = '+4915112345001';
const MINUTE = 60_000;

const idOf = async (h: ApiHarness, phone: string) => (await h.db.query<{ id: number }>('select id from contacts where phone = $1', [phone]))[0]?.id;

/** Every row of every table, as text, that contains `needle`: the strongest "it is gone" there is. */
async function tablesMentioning(h: ApiHarness, needle: string): Promise<string[]> {
  const tables = await h.db.query<{ table_name: string }>("select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name");
  const found: string[] = [];
  for (const { table_name: table } of tables) {
    const [row] = await h.db.query<{ n: number }>(`select count(*)::int as n from "${table}" t where position($1 in t::text) > 0`, [needle]);
    if (row!.n > 0) found.push(table);
  }
  return found;
}

async function launchAndRun(h: ApiHarness, overrides: Record<string, unknown> = {}): Promise<number> {
  const created = await h.call('POST', '/api/campaigns', { body: campaignDocument(overrides) });
  expect(created.status, created.text).toBe(201);
  const id = created.body.campaign.id as number;
  expect((await h.call('POST', `/api/campaigns/${id}/launch`)).status).toBe(200);
  await h.runFor(MINUTE, 10_000);
  return id;
}

describe.each(testBackends)('contact erasure on %s', (kind) => {
  it('removes the number, name, inbound words, sent content and click device from every table, and keeps the consent ledger and the audit entry', async () => {
    const h = await createApiHarness(kind);
    await h.addPeople(MIXED_AUDIENCE);
    h.simulator.controls.inbound({ from: ANNA, text: 'Mein Geheimwort ist Zitronenfalter' });
    await h.runFor(10_000);
    const anna = (await idOf(h, ANNA))!;
    expect((await h.call('POST', '/api/messages', { body: { contactId: anna, text: 'Danke, Frau Schmidt!' } })).status).toBe(201);
    await launchAndRun(h);
    const [sent] = await h.db.query<{ id: number }>('select id from messages where contact_id = $1 and campaign_id is not null', [anna]);
    await h.db.query("insert into click_links (token, message_id, url, created_at) values ('AbC123xyz789', $1, 'https://shop.example', now())", [sent!.id]);
    await h.db.query("insert into clicks (token, clicked_at, user_agent) values ('AbC123xyz789', now(), 'Mozilla/5.0 (iPhone; Annas iPhone)')");
    const consentBefore = (await h.db.query('select id from consent_events where contact_id = $1', [anna])).length;
    expect(await tablesMentioning(h, '4915112345001')).not.toEqual([]);

    const erased = await h.call('POST', `/api/contacts/${anna}/erase`);
    expect(erased.status, erased.text).toBe(200);
    expect(erased.body).toMatchObject({ contactId: anna, erased: true, identitiesListed: 2, cleared: { inboundMessages: 1, messages: 1, clicks: 1 } });
    expect(erased.body.cleared.webhookBodies).toBeGreaterThan(0);

    for (const needle of ['4915112345001', 'Anna', 'Schmidt', 'Zitronenfalter', 'Annas iPhone']) expect(await tablesMentioning(h, needle), needle).toEqual([]);
    const [row] = await h.db.query<Record<string, unknown>>('select phone, wa_id, name, country, attributes, tags, erased_at from contacts where id = $1', [anna]);
    expect(row).toMatchObject({ phone: null, wa_id: null, name: null, country: null, attributes: {}, tags: [], erased_at: expect.any(Date) });
    // The ledger keeps the proof of consent and says consent ended with the erasure.
    const ledger = await h.db.query<{ kind: string; source: string }>('select kind, source from consent_events where contact_id = $1 order by id', [anna]);
    expect(ledger).toHaveLength(consentBefore + 2);
    expect(ledger.slice(-2)).toEqual([{ kind: 'opt_out', source: 'erasure' }, { kind: 'opt_out', source: 'erasure' }]);
    expect((await h.call('GET', `/api/contacts/${anna}`)).body.suppressions).toEqual([expect.objectContaining({ reason: 'erased', scope: 'all' })]);
    const audit = (await h.call('GET', '/api/audit')).body.items.filter((item: { action: string }) => item.action === 'contact.erase');
    expect(audit).toEqual([expect.objectContaining({ targetType: 'contact', targetId: String(anna), actor: expect.objectContaining({ type: 'api_token', label: 'test' }) })]);

    const again = await h.call('POST', `/api/contacts/${anna}/erase`);
    expect(again.body).toMatchObject({ contactId: anna, erased: false, cleared: null });
    expect((await h.call('POST', '/api/contacts/99999/erase')).status).toBe(404);
    expect((await h.call('POST', '/api/contacts/abc/erase')).status).toBe(400);
    expect((await h.call('POST', `/api/contacts/${anna}/erase`, { token: null })).status).toBe(401);
  }, 90_000);

  it('never messages an erased number again: re-imported by CSV with a fresh opt-in, a campaign skips it as suppressed_erased', async () => {
    const h = await createApiHarness(kind);
    await h.addPeople(MIXED_AUDIENCE);
    expect((await h.call('POST', `/api/contacts/${await idOf(h, ANNA)}/erase`)).status).toBe(200);
    const csv = `phone,name,tags,opt_in_at,opt_in_text\n${ANNA},Anna Again,customers,2026-11-20T10:00:00Z,Yes to WhatsApp offers\n`;
    const imported = await h.call('POST', '/api/contacts/import?source=fair&consent=marketing', { rawBody: csv, contentType: 'text/csv' });
    expect(imported.body).toMatchObject({ created: 1, consentEventsRecorded: 1 });
    const again = (await idOf(h, ANNA))!;
    expect((await h.call('GET', `/api/contacts/${again}`)).body).toMatchObject({ consent: { marketing: { state: 'opted_in' } }, suppressions: [expect.objectContaining({ reason: 'erased', scope: 'all' })] });

    const id = await launchAndRun(h);
    const messages = await campaignMessages(h.db, id);
    expect(messages.find((message) => message.phone === ANNA)).toMatchObject({ dispatch_state: 'skipped', reason: 'suppressed_erased' });
    expect(messages.some((message) => message.dispatch_state === 'sent')).toBe(true);
    expect(h.simulator.sent({ to: ANNA })).toEqual([]);
  });

  it('cuts the person out of webhooks stored but not processed yet, and still applies the other people\'s events in them', async () => {
    const h = await createApiHarness(kind);
    await h.addPeople(MIXED_AUDIENCE);
    const anna = (await idOf(h, ANNA))!;
    const inbound = (from: string, name: string, id: string, text: string) => ({ contacts: [{ profile: { name }, wa_id: from }], messages: [{ from, id, timestamp: String(Math.floor(h.simulator.clock.now().getTime() / 1000)), type: 'text', text: { body: text } }] });
    const value = (parts: Array<ReturnType<typeof inbound>>) => ({ messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: PHONE_ID }, contacts: parts.flatMap((part) => part.contacts), messages: parts.flatMap((part) => part.messages) });
    // One body, as Meta batches them: Anna's message and Jonas's, arrived just before the erasure.
    const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: WABA_ID, changes: [{ field: 'messages', value: value([inbound('4915112345001', 'Anna Schmidt', 'wamid.pendingAnna', 'Mein Geheimwort ist Apfelbaum'), inbound('4915112345002', 'Jonas Weber', 'wamid.pendingJonas', 'Hallo von Jonas')]) }] }] });
    await h.db.query("insert into webhook_events (body_sha256, body, received_at) values ('pending-before-erasure', $1, now())", [body]);

    const erased = await h.call('POST', `/api/contacts/${anna}/erase`);
    expect(erased.status, erased.text).toBe(200);
    expect(erased.body.cleared.pendingWebhookEntries).toBe(2);
    while ((await processWebhookEvents(h.deps)).webhooks > 0);

    for (const needle of ['4915112345001', 'Anna', 'Apfelbaum']) expect(await tablesMentioning(h, needle), needle).toEqual([]);
    const jonas = await h.db.query<{ text: string }>('select i.text from inbound_messages i join contacts c on c.id = i.contact_id where c.phone = $1', ['+4915112345002']);
    expect(jonas).toEqual([{ text: 'Hallo von Jonas' }]);
  });

  it('suppresses a contact that an inbound message from an erased number creates again', async () => {
    const h = await createApiHarness(kind);
    await h.addPeople(MIXED_AUDIENCE);
    expect((await h.call('POST', `/api/contacts/${await idOf(h, ANNA)}/erase`)).status).toBe(200);
    h.simulator.controls.inbound({ from: ANNA, text: 'Hallo?' });
    await h.runFor(10_000);
    const [back] = await h.db.query<{ id: number }>("select id from contacts where phone = $1 or wa_id = '4915112345001'", [ANNA]);
    expect(back).toBeDefined();
    const suppressions = await h.db.query<{ reason: string; scope: string }>('select reason, scope from suppressions where contact_id = $1 and lifted_at is null', [back!.id]);
    expect(suppressions).toEqual([{ reason: 'erased', scope: 'all' }]);
  });

  it('`greenlight contacts erase PHONE --yes` erases with the actor cli; without --yes or for an unknown number it changes nothing (exit 2)', async () => {
    const h = await createApiHarness(kind);
    await h.addPeople(MIXED_AUDIENCE);
    const cli = (...args: string[]) => runCliCaptured(args, { cwd: tmpdir(), deps: h.deps });
    const refused = await cli('contacts', 'erase', ANNA);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/--yes/);
    expect((await cli('contacts', 'erase', '+4915199999999', '--yes')).code).toBe(2);
    expect(await idOf(h, ANNA)).toBeDefined();
    const anna = (await idOf(h, ANNA))!;
    const done = await cli('contacts', 'erase', ANNA, '--yes', '--json');
    expect(done.code, done.err).toBe(0);
    expect(JSON.parse(done.out)).toMatchObject({ contactId: anna, erased: true });
    expect(await idOf(h, ANNA)).toBeUndefined();
    const audit = (await h.call('GET', '/api/audit')).body.items;
    expect(audit).toEqual([expect.objectContaining({ action: 'contact.erase', targetId: String(anna), actor: { type: 'cli', tokenId: null, label: 'cli' } })]);
  });

  it('computes in SQL exactly the HMAC-SHA256 node:crypto computes with the same key', async () => {
    const db = await createTestDb(kind);
    const key = randomBytes(32);
    const pads = hmacPads(key);
    await db.query('insert into erasure_keys (id, inner_pad, outer_pad, created_at) values (1, $1, $2, now())', [pads.inner, pads.outer]);
    const [row] = await db.query<{ digest: Uint8Array }>('select erasure_digest($1) as digest', [ANNA]);
    expect(Buffer.from(row!.digest).toString('hex')).toBe(createHmac('sha256', key).update(ANNA, 'utf8').digest('hex'));
  });
});
