// Webhook ingestion end to end: signed POSTs through the real HTTP app into the database, then the
// processor applying them, on every engine. What Meta sends must never be lost or applied twice.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { maxWebhookAttempts, processWebhookEvents } from '../../src/actions/process-webhook-events.ts';
import type { Deps } from '../../src/deps.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { maxWebhookBodyBytes } from '../../src/http/routes/webhook.ts';
import { createManualClock } from '../../src/lib/clock.ts';
import { createJsonLogger, silentLogger } from '../../src/lib/logger.ts';
import { loadConfig } from '../../src/config.ts';
import type { Db } from '../../src/store/db.ts';
import { listActiveSuppressions } from '../../src/store/suppressions.ts';
import { parseWebhook } from '../../src/whatsapp/webhook.ts';
import { signPayload } from '../../src/whatsapp/signature.ts';
import { envelope, inboundWebhook, statusWebhook, userPreferenceWebhook } from '../helpers/meta-payloads.ts';
import { createTestDb } from '../helpers/test-db.ts';
import { testBackends } from '../helpers/test-backends.ts';

const appSecret = 'test-app-secret';
const t0 = 1_767_225_600; // 2026-01-01T00:00:00Z in Unix seconds, as Meta writes timestamps

async function setup(kind: Parameters<typeof createTestDb>[0]) {
  const db = await createTestDb(kind);
  const clock = createManualClock(new Date('2026-01-01T00:00:00Z'));
  const logLines: string[] = [];
  const logStream = new PassThrough();
  logStream.on('data', (chunk: Buffer) => logLines.push(chunk.toString()));
  const deps: Deps = { config: loadConfig({}, '/tmp'), db, clock, log: createJsonLogger(logStream) };
  const app = createHttpApp(deps, { webhook: { appSecret, verifyToken: 'verify-me' } });
  const post = (body: string | Uint8Array, signature: string | null = signPayload(typeof body === 'string' ? new TextEncoder().encode(body) : body, appSecret)) =>
    app.request('/webhooks/whatsapp', { method: 'POST', body, headers: { 'content-type': 'application/json', ...(signature ? { 'x-hub-signature-256': signature } : {}) } });
  const deliver = async (payload: unknown) => {
    const response = await post(JSON.stringify(payload));
    expect(response.status).toBe(200);
  };
  const process = () => processWebhookEvents({ ...deps, parseWebhook });
  const logged = () => logLines.join('');
  return { db, clock, app, post, deliver, process, logged };
}

async function count(db: Db, table: string): Promise<number> {
  const [row] = await db.query<{ count: number }>(`select count(*) as count from ${table}`);
  return row?.count ?? 0;
}

describe.each(testBackends)('webhook ingestion on %s', (kind) => {
  it("answers Meta's verification handshake only with the right verify token", async () => {
    const { app } = await setup(kind);
    const ok = await app.request('/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444');
    expect([ok.status, await ok.text()]).toEqual([200, '1158201444']);
    const wrong = await app.request('/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1');
    expect(wrong.status).toBe(403);
  });

  it.each([
    ['a missing signature', null],
    ['a signature made with another secret', signPayload(new TextEncoder().encode('{}'), 'not-the-secret')],
    ['a malformed signature header', 'md5=abc'],
  ])('refuses %s with 401 and stores nothing', async (_what, signature) => {
    const { post, db, logged } = await setup(kind);
    const response = await post(JSON.stringify(inboundWebhook({ wamid: 'wamid.A', timestamp: t0 })), signature);
    expect(response.status).toBe(401);
    expect(logged()).toContain('webhook refused: bad or missing X-Hub-Signature-256');
    expect(await response.json()).toMatchObject({ error: { code: 'INVALID_SIGNATURE' } });
    expect(await count(db, 'webhook_events')).toBe(0);
  });

  it('refuses a signed body that is not JSON with 400, and a body over 3 MB with 413, storing nothing', async () => {
    const { post, db, logged } = await setup(kind);
    expect((await post('{"entry": [')).status).toBe(400);
    const huge = JSON.stringify({ object: 'whatsapp_business_account', padding: 'x'.repeat(maxWebhookBodyBytes) });
    expect((await post(huge)).status).toBe(413);
    expect(logged()).toContain('webhook refused: body is not JSON');
    expect(logged()).toContain('webhook refused: body too large');
    expect(await count(db, 'webhook_events')).toBe(0);
  });

  it('stores a redelivered body once and applies an inbound message once', async () => {
    const { deliver, process, db } = await setup(kind);
    const payload = inboundWebhook({ wamid: 'wamid.IN1', timestamp: t0, text: 'Does it come in green?' });
    await deliver(payload);
    await deliver(payload);
    expect(await process()).toMatchObject({ webhooks: 1, applied: 1, failed: 0 });
    expect(await db.query('select phone, wa_id, name from contacts')).toEqual([{ phone: '+4915112345678', wa_id: '4915112345678', name: 'Max Mustermann' }]);
    expect(await db.query('select type, text from inbound_messages')).toEqual([{ type: 'text', text: 'Does it come in green?' }]);
  });

  it('answers 200 to the same body POSTed several times at once, and stores it once', async () => {
    const { post, db } = await setup(kind);
    // Several rounds: on PostgreSQL the losing insert of a race could not see the winner's row (a 500, seen in 1 POST of 6).
    for (let round = 0; round < 10; round += 1) {
      const body = JSON.stringify(inboundWebhook({ wamid: `wamid.RACE${round}`, timestamp: t0, text: 'hi' }));
      const responses = await Promise.all(Array.from({ length: 8 }, async () => post(body)));
      expect(responses.map((response) => response.status)).toEqual(Array(8).fill(200));
    }
    expect(await count(db, 'webhook_events')).toBe(10);
  });

  it('opens the 24 h service window with each inbound message and keeps the latest even when they arrive out of order', async () => {
    const { deliver, process, db } = await setup(kind);
    await deliver(inboundWebhook({ wamid: 'wamid.LATE', timestamp: t0 + 600, text: 'second' }));
    await deliver(inboundWebhook({ wamid: 'wamid.EARLY', timestamp: t0, text: 'first' }));
    await process();
    const [window] = await db.query<{ last_inbound_at: Date }>('select last_inbound_at from service_windows');
    expect(window?.last_inbound_at).toEqual(new Date((t0 + 600) * 1000));
  });

  it('records a STOP message as an opt-out of every category, with the message as proof', async () => {
    const { deliver, process, db } = await setup(kind);
    await deliver(inboundWebhook({ wamid: 'wamid.STOP', timestamp: t0, text: 'STOP' }));
    await process();
    expect(await db.query('select category, kind, proof from consent_events order by category')).toEqual([
      { category: 'marketing', kind: 'opt_out', proof: 'STOP' },
      { category: 'utility', kind: 'opt_out', proof: 'STOP' },
    ]);
  });

  it('records the "Stop promotions" quick reply as a marketing opt-out only', async () => {
    const { deliver, process, db } = await setup(kind);
    await deliver(inboundWebhook({ wamid: 'wamid.BTN', timestamp: t0, button: { text: 'Stop promotions', payload: 'STOP_PROMOTIONS' } }));
    await process();
    expect(await db.query('select category, kind from consent_events')).toEqual([{ category: 'marketing', kind: 'opt_out' }]);
  });

  it('keeps a Click-to-WhatsApp referral so the free entry point can be computed', async () => {
    const { deliver, process, db } = await setup(kind);
    await deliver(inboundWebhook({ wamid: 'wamid.AD', timestamp: t0, text: 'Hi!', referral: { source_url: 'https://fb.me/ad', source_id: '120', source_type: 'ad', headline: 'Spring sale', body: 'Up to 50% off', ctwa_clid: 'ARAkLkA8rmlF' } }));
    await process();
    expect(await db.query('select last_ctwa_clid from service_windows')).toEqual([{ last_ctwa_clid: 'ARAkLkA8rmlF' }]);
  });

  it('moves a contact, with its consent, to the new number when Meta reports that the person changed number', async () => {
    const { deliver, process, db } = await setup(kind);
    await deliver(inboundWebhook({ wamid: 'wamid.HELLO', timestamp: t0, text: 'hello' }));
    await deliver(inboundWebhook({ wamid: 'wamid.STOP2', timestamp: t0 + 10, text: 'STOP' }));
    await process();
    const change = envelope('messages', {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
      messages: [{ from: '4915112345678', id: 'wamid.SYS', timestamp: String(t0 + 60), type: 'system', system: { body: 'User changed from +49 151 12345678 to +49 151 87654321', new_wa_id: '4915187654321', type: 'user_changed_number' } }],
    });
    await deliver(change);
    await process();
    expect(await db.query('select phone, wa_id from contacts')).toEqual([{ phone: '+4915187654321', wa_id: '4915187654321' }]);
    expect(await db.query("select count(*) as count from consent_events where kind = 'opt_out'")).toEqual([{ count: 2 }]);
  });

  it('works for a person known only by a business-scoped user id', async () => {
    const { deliver, process, db } = await setup(kind);
    await deliver(inboundWebhook({ wamid: 'wamid.BSUID', from: '', userId: 'US.13491208655302741918', timestamp: t0, text: 'hello' }));
    await process();
    expect(await db.query('select phone, business_user_id from contacts')).toEqual([{ phone: null, business_user_id: 'US.13491208655302741918' }]);
  });

  it('merges statuses monotonically: duplicates and reordering never move a message backwards', async () => {
    const { deliver, process, db, clock } = await setup(kind);
    await db.query("insert into messages (wamid, status, created_at, updated_at) values ('wamid.OUT', 'accepted', $1, $1)", [clock.now()]);
    const pricing = { billable: true, pricing_model: 'PMP', type: 'regular', category: 'marketing' };
    await deliver(statusWebhook([{ wamid: 'wamid.OUT', status: 'read', timestamp: t0 + 30 }]));
    await deliver(statusWebhook([{ wamid: 'wamid.OUT', status: 'sent', timestamp: t0, pricing }, { wamid: 'wamid.OUT', status: 'delivered', timestamp: t0 + 5 }]));
    await deliver(statusWebhook([{ wamid: 'wamid.OUT', status: 'delivered', timestamp: t0 + 5 }, { wamid: 'wamid.OUT', status: 'sent', timestamp: t0 }]));
    await process();
    expect(await db.query('select status, pricing_category, billable from messages')).toEqual([{ status: 'read', pricing_category: 'marketing', billable: true }]);
    expect(await count(db, 'message_status_events')).toBe(3);
  });

  it.each([
    [131026, 'undeliverable', 'all'],
    [131050, 'marketing_stopped', 'marketing'],
    [131049, 'marketing_cap', 'marketing'],
  ])('suppresses the recipient after a failed status with error %i (%s)', async (code, reason, scope) => {
    const { deliver, process, db, clock } = await setup(kind);
    await deliver(statusWebhook([{ wamid: 'wamid.F', status: 'failed', timestamp: t0, errors: [{ code, title: 'x', message: 'x', error_data: { details: 'x' } }] }]));
    await process();
    const [contact] = await db.query<{ id: number }>("select id from contacts where phone = '+4915112345678'");
    expect(await listActiveSuppressions(db, contact?.id ?? -1, clock.now())).toMatchObject([{ reason, scope }]);
  });

  it("suppresses marketing on WhatsApp's user_preferences stop and lifts it on resume", async () => {
    const { deliver, process, db, clock } = await setup(kind);
    await deliver(userPreferenceWebhook('4915112345678', 'stop', t0));
    await process();
    const [contact] = await db.query<{ id: number }>('select id from contacts');
    expect(await listActiveSuppressions(db, contact?.id ?? -1, clock.now())).toMatchObject([{ reason: 'marketing_stopped' }]);
    await deliver(userPreferenceWebhook('4915112345678', 'resume', t0 + 60));
    await process();
    expect(await listActiveSuppressions(db, contact?.id ?? -1, clock.now())).toEqual([]);
  });

  it('resolves user_preferences by when they happened: a stop delivered after a newer resume stays undone', async () => {
    const { deliver, process, db, clock } = await setup(kind);
    await deliver(userPreferenceWebhook('4915112345678', 'stop', t0));
    await process();
    await deliver(userPreferenceWebhook('4915112345678', 'resume', t0 + 120));
    await deliver(userPreferenceWebhook('4915112345678', 'stop', t0 + 60));
    await process();
    const [contact] = await db.query<{ id: number }>('select id from contacts');
    expect(await listActiveSuppressions(db, contact?.id ?? -1, clock.now())).toEqual([]);
  });

  it('resolves user_preferences by when they happened: a resume older than the stop does not lift it', async () => {
    const { deliver, process, db, clock } = await setup(kind);
    await deliver(userPreferenceWebhook('4915112345678', 'stop', t0 + 60));
    await process();
    await deliver(userPreferenceWebhook('4915112345678', 'resume', t0));
    await process();
    const [contact] = await db.query<{ id: number }>('select id from contacts');
    expect(await listActiveSuppressions(db, contact?.id ?? -1, clock.now())).toMatchObject([{ reason: 'marketing_stopped' }]);
  });

  it('applies template status, quality and category webhooks, and a late PAUSED never overrides a later APPROVED', async () => {
    const { deliver, process, db } = await setup(kind);
    const template = { message_template_id: 1689556908129835, message_template_name: 'abandoned_cart', message_template_language: 'en-US' };
    await deliver({ object: 'whatsapp_business_account', entry: [{ id: '102290129340398', time: t0 + 100, changes: [{ field: 'message_template_status_update', value: { ...template, event: 'APPROVED', reason: null, message_template_category: 'MARKETING' } }] }] });
    await deliver({ object: 'whatsapp_business_account', entry: [{ id: '102290129340398', time: t0, changes: [{ field: 'message_template_status_update', value: { ...template, event: 'PAUSED', reason: null, other_info: { title: 'FIRST_PAUSE', description: 'low quality' } } }] }] });
    await deliver(envelope('message_template_quality_update', { ...template, previous_quality_score: 'GREEN', new_quality_score: 'YELLOW' }));
    await process();
    expect(await db.query('select name, language, status, quality_score, category from templates')).toEqual([{ name: 'abandoned_cart', language: 'en_US', status: 'APPROVED', quality_score: 'YELLOW', category: 'MARKETING' }]);
    expect(await count(db, 'template_events')).toBe(3);
  });

  it('keeps the newest template quality when quality webhooks arrive out of order', async () => {
    const { deliver, process, db } = await setup(kind);
    const template = { message_template_id: 806312974732579, message_template_name: 'welcome_template', message_template_language: 'en' };
    const at = (time: number, previous: string, next: string) => ({ object: 'whatsapp_business_account', entry: [{ id: '102290129340398', time, changes: [{ field: 'message_template_quality_update', value: { ...template, previous_quality_score: previous, new_quality_score: next } }] }] });
    await deliver(at(t0 + 3600, 'YELLOW', 'RED'));
    await deliver(at(t0, 'GREEN', 'YELLOW'));
    await process();
    expect(await db.query('select quality_score from templates')).toEqual([{ quality_score: 'RED' }]);
  });

  it('applies template category changes: the 24 h notice sets the pending category, the completed change the category', async () => {
    const { deliver, process, db } = await setup(kind);
    const template = { message_template_id: 1689556908129835, message_template_name: 'order_update', message_template_language: 'en' };
    await deliver(envelope('template_category_update', { ...template, new_category: 'UTILITY', correct_category: 'MARKETING', category_update_timestamp: t0 + 86_400 }));
    await process();
    expect(await db.query('select pending_category from templates')).toEqual([{ pending_category: 'MARKETING' }]);
    await deliver(envelope('template_category_update', { ...template, previous_category: 'UTILITY', new_category: 'MARKETING' }));
    await process();
    expect(await db.query('select category, pending_category from templates')).toEqual([{ category: 'MARKETING', pending_category: null }]);
  });

  it('applies the portfolio messaging limit from business_capability_update and keeps account restrictions with their history', async () => {
    const { deliver, process, db } = await setup(kind);
    await deliver(envelope('business_capability_update', { max_daily_conversations_per_business: 10000, max_phone_numbers_per_waba: 25 }));
    await deliver(envelope('account_update', { event: 'ACCOUNT_RESTRICTION', restriction_info: [{ restriction_type: 'RESTRICTED_BIZ_INITIATED_MESSAGING', expiration: t0 + 86_400 }] }));
    await process();
    const [state] = await db.query<{ messaging_limit_users: number; restrictions: Array<{ type: string }> }>('select messaging_limit_users, restrictions from waba_states');
    expect(state).toMatchObject({ messaging_limit_users: 10000, restrictions: [{ type: 'RESTRICTED_BIZ_INITIATED_MESSAGING' }] });
    expect(await db.query('select kind, summary from account_events')).toEqual([{ kind: 'account_update', summary: 'ACCOUNT_RESTRICTION, RESTRICTED_BIZ_INITIATED_MESSAGING' }]);
  });

  it('lands a message from a wa_id that is not a valid phone number on a contact known by that wa_id', async () => {
    const { deliver, process, db } = await setup(kind);
    await deliver(inboundWebhook({ wamid: 'wamid.LANDLINE', from: '493012345678', timestamp: t0, text: 'hallo' }));
    expect(await process()).toMatchObject({ applied: 1, failed: 0 });
    expect(await db.query('select phone, wa_id from contacts')).toEqual([{ phone: null, wa_id: '493012345678' }]);
  });

  it('applies status-only webhooks together, and when that batch fails, still applies every good webhook of it', async () => {
    const { deliver, db, clock } = await setup(kind);
    await db.query("insert into messages (wamid, status, created_at, updated_at) values ('wamid.GOOD', 'accepted', $1, $1), ('wamid.BAD', 'accepted', $1, $1)", [clock.now()]);
    await deliver(statusWebhook([{ wamid: 'wamid.BAD', status: 'delivered', timestamp: t0 }]));
    await deliver(statusWebhook([{ wamid: 'wamid.GOOD', status: 'delivered', timestamp: t0 }]));
    // A status the database cannot store (an impossible instant) makes the batched statement fail.
    const poisoning: typeof parseWebhook = (payload) => {
      const parsed = parseWebhook(payload);
      if (!parsed.ok) return parsed;
      return { ok: true, events: parsed.events.map((event) => (event.kind === 'message_status' && event.wamid === 'wamid.BAD' ? { ...event, at: new Date(Number.NaN) } : event)) };
    };
    const deps: Deps = { config: loadConfig({}, '/tmp'), db, clock, log: silentLogger };
    expect(await processWebhookEvents({ ...deps, parseWebhook: poisoning })).toMatchObject({ webhooks: 2, applied: 1, failed: 1 });
    expect(await db.query('select wamid, status from messages order by wamid')).toEqual([{ wamid: 'wamid.BAD', status: 'accepted' }, { wamid: 'wamid.GOOD', status: 'delivered' }]);
  });

  it('sets a webhook aside, stored with its error, after the last allowed attempt instead of retrying for ever', async () => {
    const { deliver, db, clock } = await setup(kind);
    await deliver(inboundWebhook({ wamid: 'wamid.POISON', timestamp: t0, text: 'hi' }));
    await db.query('update webhook_events set attempts = $1', [maxWebhookAttempts - 1]);
    const deps: Deps = { config: loadConfig({}, '/tmp'), db, clock, log: silentLogger };
    expect(await processWebhookEvents({ ...deps, parseWebhook: () => { throw new Error('always fails'); } })).toMatchObject({ failed: 1 });
    expect(await db.query('select processed_at is not null as done, last_error from webhook_events')).toEqual([{ done: true, last_error: `gave up after ${maxWebhookAttempts} attempts: always fails` }]);
  });

  it('stores and skips an unknown webhook field without failing, and still applies the good changes of the same POST', async () => {
    const { deliver, process, db } = await setup(kind);
    const good = inboundWebhook({ wamid: 'wamid.OK', timestamp: t0, text: 'hi' }) as { entry: Array<{ changes: unknown[] }> };
    good.entry[0]?.changes.push({ field: 'some_future_field', value: { anything: true } });
    await deliver(good);
    expect(await process()).toMatchObject({ webhooks: 1, applied: 1, unhandled: 1, failed: 0 });
    expect(await db.query('select events_applied, events_unhandled from webhook_events')).toEqual([{ events_applied: 1, events_unhandled: 1 }]);
    expect(await count(db, 'inbound_messages')).toBe(1);
  });

  it('retries a webhook whose processing failed, after a backoff, and loses nothing', async () => {
    const { deliver, db, clock } = await setup(kind);
    await deliver(inboundWebhook({ wamid: 'wamid.RETRY', timestamp: t0, text: 'hi' }));
    const deps: Deps = { config: loadConfig({}, '/tmp'), db, clock, log: silentLogger };
    const failing = await processWebhookEvents({ ...deps, parseWebhook: () => { throw new Error('database hiccup'); } });
    expect(failing).toMatchObject({ webhooks: 1, failed: 1 });
    expect(await processWebhookEvents({ ...deps, parseWebhook })).toMatchObject({ webhooks: 0 });
    clock.advanceMs(5_000);
    expect(await processWebhookEvents({ ...deps, parseWebhook })).toMatchObject({ webhooks: 1, applied: 1, failed: 0 });
    expect(await count(db, 'inbound_messages')).toBe(1);
  });
});
