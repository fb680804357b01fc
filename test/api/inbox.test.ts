// The inbox API on every engine: who wrote in, one conversation both ways, and sending one message —
// free-form only inside the 24 h customer service window a simulated person opens (§7.1), a template
// only with the consent its category needs, each send once per Idempotency-Key. Every route refuses a
// missing token (401), names the bad field (400) and answers 404 for an unknown contact.

import { describe, expect, it } from 'vitest';
import { addSuppression } from '../../src/store/suppressions.ts';
import { createApiHarness, type ApiHarness } from '../helpers/api-harness.ts';
import { MIXED_AUDIENCE } from '../helpers/campaign-harness.ts';
import { testBackends } from '../helpers/test-backends.ts';

const IDA = '+4915112345006';
const ANNA = '+4915112345001';
const OLAF = '+4915112345004';
const NINA = '+4915112345005';
const SAM_US = '+12025550123';
const HOUR = 60 * 60 * 1000;

async function inboxHarness(kind: Parameters<typeof createApiHarness>[0]): Promise<ApiHarness> {
  const h = await createApiHarness(kind);
  await h.addPeople(MIXED_AUDIENCE);
  return h;
}

async function idOf(h: ApiHarness, phone: string): Promise<number> {
  const [row] = await h.db.query<{ id: number }>('select id from contacts where phone = $1', [phone]);
  return row!.id;
}

/** A simulated person writes in; the webhook arrives and is applied, opening their window. */
async function writeIn(h: ApiHarness, from: string, text: string): Promise<void> {
  h.simulator.controls.inbound({ from, text });
  // Meta's webhooks may come late, aggregated or twice (the harness's simulator fakes all three).
  await h.runFor(10_000);
}

const sentTo = (h: ApiHarness, phone: string) => h.simulator.sent({ to: phone });

describe.each(testBackends)('inbox API on %s', (kind) => {
  describe('GET /api/conversations', () => {
    it('lists the contacts who wrote in, newest first, with their last message and open window', async () => {
      const h = await inboxHarness(kind);
      expect((await h.call('GET', '/api/conversations')).body).toEqual({ items: [] });
      await writeIn(h, IDA, 'Do you have gloves in size M?');
      await h.simulator.advance(HOUR);
      await writeIn(h, ANNA, 'When does the sale end?');
      const answer = await h.call('GET', '/api/conversations');
      expect(answer.status).toBe(200);
      expect(answer.body.items.map((item: { phone: string }) => item.phone)).toEqual([ANNA, IDA]);
      const ida = answer.body.items[1];
      expect(ida).toMatchObject({ contactId: await idOf(h, IDA), name: 'Ida Inwindow', lastText: 'Do you have gloves in size M?', window: { open: true } });
      // Greenlight stops free-form sends 15 min before Meta's 24 h end (service-window.ts).
      expect(Date.parse(ida.window.closesAt) - Date.parse(ida.lastInboundAt)).toBe(24 * HOUR - 15 * 60_000);
    });

    it('answers 400 naming `limit` when it is out of range, and 401 without a token', async () => {
      const h = await inboxHarness(kind);
      const bad = await h.call('GET', '/api/conversations?limit=0');
      expect(bad.status).toBe(400);
      expect(bad.body.error.field).toBe('limit');
      expect((await h.call('GET', '/api/conversations', { token: null })).status).toBe(401);
    });
  });

  describe('GET /api/conversations/:contactId', () => {
    it('shows both directions oldest first with statuses from webhooks, the window and the approved templates', async () => {
      const h = await inboxHarness(kind);
      const ida = await idOf(h, IDA);
      await writeIn(h, IDA, 'Do you have gloves in size M?');
      const sent = await h.call('POST', '/api/messages', { body: { contactId: ida, text: 'Yes, in black and grey.' } });
      expect(sent.status).toBe(201);
      await h.runFor(30_000);
      const answer = await h.call('GET', `/api/conversations/${ida}`);
      expect(answer.status).toBe(200);
      expect(answer.body.contact).toMatchObject({ id: ida, phone: IDA, marketing: 'opted_in' });
      expect(answer.body.window.open).toBe(true);
      expect(answer.body.messages.map((message: { direction: string; type: string; text: string }) => [message.direction, message.type, message.text])).toEqual([
        ['in', 'text', 'Do you have gloves in size M?'],
        ['out', 'text', 'Yes, in black and grey.'],
      ]);
      expect(['delivered', 'read']).toContain(answer.body.messages[1].status);
      expect(answer.body.approvedTemplates).toContainEqual({ name: 'winter_sale', language: 'en_US', category: 'MARKETING' });
    });

    it('answers 404 for an unknown contact, 400 naming `contactId` for a non-number, and 401 without a token', async () => {
      const h = await inboxHarness(kind);
      expect((await h.call('GET', '/api/conversations/999999')).status).toBe(404);
      const bad = await h.call('GET', '/api/conversations/ida');
      expect(bad.status).toBe(400);
      expect(bad.body.error.field).toBe('contactId');
      expect((await h.call('GET', `/api/conversations/${await idOf(h, IDA)}`, { token: null })).status).toBe(401);
    });
  });

  describe('POST /api/messages', () => {
    it('sends free-form text and media inside the window the person opened (201), recorded for the conversation', async () => {
      const h = await inboxHarness(kind);
      const ida = await idOf(h, IDA);
      await writeIn(h, IDA, 'Can you send a photo?');
      const text = await h.call('POST', '/api/messages', { body: { contactId: ida, text: 'Here it is: https://shop.example/gloves' } });
      expect(text.status).toBe(201);
      expect(text.body).toMatchObject({ id: expect.any(Number), wamid: expect.stringMatching(/^wamid\./), kind: 'session', status: 'accepted' });
      const photo = await h.call('POST', '/api/messages', { body: { contactId: ida, media: { type: 'image', link: 'https://shop.example/gloves.jpg', caption: 'Black, size M' } } });
      expect(photo.status).toBe(201);
      expect(sentTo(h, IDA).map((message) => [message.type, message.payload])).toEqual([
        ['text', expect.objectContaining({ text: { body: 'Here it is: https://shop.example/gloves', preview_url: true } })],
        ['image', expect.objectContaining({ image: { link: 'https://shop.example/gloves.jpg', caption: 'Black, size M' } })],
      ]);
      const messages = (await h.call('GET', `/api/conversations/${ida}`)).body.messages;
      expect(messages.at(-1)).toMatchObject({ direction: 'out', type: 'image', text: 'Black, size M', templateName: null });
    });

    it('refuses free-form text 24 h after the person\'s last message (409 SERVICE_WINDOW_CLOSED) and sends nothing', async () => {
      const h = await inboxHarness(kind);
      const ida = await idOf(h, IDA);
      await writeIn(h, IDA, 'Thanks!');
      await h.simulator.advance(24 * HOUR);
      const late = await h.call('POST', '/api/messages', { body: { contactId: ida, text: 'Anything else?' } });
      expect(late.status).toBe(409);
      expect(late.body.error.code).toBe('SERVICE_WINDOW_CLOSED');
      expect(late.body.error.message).toMatch(/closed at \d{4}-\d\d-\d\dT.*send an approved template instead/);
      const never = await h.call('POST', '/api/messages', { body: { contactId: await idOf(h, ANNA), media: { type: 'document', link: 'https://shop.example/catalog.pdf' } } });
      expect(never.status).toBe(409);
      expect(never.body.error.code).toBe('SERVICE_WINDOW_CLOSED');
      expect(h.simulator.sent({})).toEqual([]);
      expect((await h.call('GET', `/api/conversations/${ida}`)).body.window.open).toBe(false);
    });

    it('sends an approved template outside the window to a contact who opted in, filled with the given variables', async () => {
      const h = await inboxHarness(kind);
      const anna = await idOf(h, ANNA);
      const answer = await h.call('POST', '/api/messages', { body: { contactId: anna, template: { name: 'winter_sale', language: 'en_US', variables: { 1: 'Anna' } } } });
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({ kind: 'template', status: 'accepted' });
      const [sent] = sentTo(h, ANNA);
      expect(sent).toMatchObject({ type: 'template', templateName: 'winter_sale' });
      expect(sent!.text).toContain('Hi Anna, our winter sale starts today');
      const [message] = (await h.call('GET', `/api/conversations/${anna}`)).body.messages;
      expect(message).toMatchObject({ direction: 'out', type: 'template', templateName: 'winter_sale', text: expect.stringContaining('Hi Anna') });
      // Outside a window the contact now counts against the portfolio's 24 h messaging limit (§1.1).
      const sender = (await h.call('GET', '/api/senders')).body.items[0];
      expect(sender.messagingLimit.usedLast24h).toBe(1);
    });

    it('refuses a template the contact\'s consent or market does not allow (409 INVALID_STATE with the reason) and sends nothing', async () => {
      const h = await inboxHarness(kind);
      const template = { name: 'winter_sale', language: 'en_US', variables: { 1: 'there' } };
      for (const [phone, reason] of [[OLAF, 'opted_out'], [NINA, 'no_consent'], [SAM_US, 'us_marketing']] as const) {
        const answer = await h.call('POST', '/api/messages', { body: { contactId: await idOf(h, phone), template } });
        expect(answer.status).toBe(409);
        expect(answer.body.error.code).toBe('INVALID_STATE');
        expect(answer.body.error.message).toContain(`(${reason})`);
      }
      // Meta's per-user marketing cap (131049) asks for 24 h before the next marketing message (§8.3).
      const anna = await idOf(h, ANNA);
      const now = h.simulator.clock.now();
      await addSuppression(h.db, { contactId: anna, reason: 'marketing_cap', scope: 'marketing', source: 'status webhook wamid.test', until: new Date(now.getTime() + 20 * HOUR), occurredAt: now }, now);
      const capped = await h.call('POST', '/api/messages', { body: { contactId: anna, template } });
      expect(capped.status).toBe(409);
      expect(capped.body.error.message).toContain('(marketing_cap)');
      // Writing in does not stand in for an opt-in: a marketing template still needs one.
      await writeIn(h, NINA, 'Hello?');
      expect((await h.call('POST', '/api/messages', { body: { contactId: await idOf(h, NINA), template } })).status).toBe(409);
      expect(h.simulator.sent({})).toEqual([]);
    });

    it('answers 400 naming the field: not exactly one kind of content, a bad id, a template variable without a value', async () => {
      const h = await inboxHarness(kind);
      const anna = await idOf(h, ANNA);
      const both = await h.call('POST', '/api/messages', { body: { contactId: anna, text: 'Hi', template: { name: 'winter_sale', language: 'en_US' } } });
      expect(both.status).toBe(400);
      expect(both.body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'body' });
      expect((await h.call('POST', '/api/messages', { body: { contactId: 'anna', text: 'Hi' } })).body.error.field).toBe('contactId');
      expect((await h.call('POST', '/api/messages', { body: { contactId: anna, media: { type: 'audio', link: 'https://shop.example/a.ogg', caption: 'Listen' } } })).body.error.field).toBe('media.caption');
      expect((await h.call('POST', '/api/messages', { body: { contactId: anna, media: { type: 'image', link: 'http://shop.example/a.jpg' } } })).body.error.field).toBe('media.link');
      const unfilled = await h.call('POST', '/api/messages', { body: { contactId: anna, template: { name: 'winter_sale', language: 'en_US' } } });
      expect(unfilled.status).toBe(400);
      expect(unfilled.body.error.field).toBe('template.variables.1');
      expect(h.simulator.sent({})).toEqual([]);
    });

    it('answers 404 for an unknown contact or template, and 401 without a token', async () => {
      const h = await inboxHarness(kind);
      const contact = await h.call('POST', '/api/messages', { body: { contactId: 999999, text: 'Hi' } });
      expect(contact.status).toBe(404);
      expect(contact.body.error.field).toBe('contactId');
      const template = await h.call('POST', '/api/messages', { body: { contactId: await idOf(h, ANNA), template: { name: 'summer_sale', language: 'en_US' } } });
      expect(template.status).toBe(404);
      expect(template.body.error.field).toBe('template.name');
      expect((await h.call('POST', '/api/messages', { body: { contactId: await idOf(h, ANNA), text: 'Hi' }, token: null })).status).toBe(401);
    });

    it('answers Meta\'s refusal with 409 (131047: SERVICE_WINDOW_CLOSED) and keeps the failed attempt in the conversation', async () => {
      const h = await inboxHarness(kind);
      const ida = await idOf(h, IDA);
      await writeIn(h, IDA, 'Hello');
      h.simulator.controls.failNextSends({ count: 1, code: 131047, surface: 'sync' });
      const refused = await h.call('POST', '/api/messages', { body: { contactId: ida, text: 'Hi Ida!' } });
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('SERVICE_WINDOW_CLOSED');
      h.simulator.controls.failNextSends({ count: 1, code: 131026, surface: 'sync' });
      const undeliverable = await h.call('POST', '/api/messages', { body: { contactId: ida, text: 'Hi again' } });
      expect(undeliverable.status).toBe(409);
      expect(undeliverable.body.error).toMatchObject({ code: 'INVALID_STATE', message: expect.stringContaining('(131026)') });
      const messages = (await h.call('GET', `/api/conversations/${ida}`)).body.messages;
      expect(messages.filter((message: { direction: string }) => message.direction === 'out').map((message: { status: string }) => message.status)).toEqual(['failed', 'failed']);
    });

    it('answers 202 with status unknown when Meta does not answer, and a retry with the key never sends it again', async () => {
      const h = await inboxHarness(kind);
      const ida = await idOf(h, IDA);
      await writeIn(h, IDA, 'Hello');
      let attempts = 0;
      // A network failure: the request may have reached Meta, but no answer came back.
      h.deps.whatsapp = {
        ...h.deps.whatsapp,
        sendMessage: () => {
          attempts += 1;
          return Promise.resolve({ ok: false, error: null, httpStatus: null, networkFailure: true, message: 'socket hang up', route: 'cloud_api' as const });
        },
      };
      const body = { contactId: ida, text: 'Hi Ida!' };
      const headers = { 'idempotency-key': 'no-answer-1' };
      const first = await h.call('POST', '/api/messages', { body, headers });
      expect(first.status).toBe(202);
      expect(first.body).toMatchObject({ wamid: null, kind: 'session', status: 'unknown' });
      expect((await h.call('POST', '/api/messages', { body, headers })).status).toBe(202);
      expect(attempts).toBe(1);
    });

    it('is declared in the OpenAPI document with its Idempotency-Key header and every status it answers', async () => {
      const h = await createApiHarness(kind);
      const send = (await h.call('GET', '/api/openapi.json', { token: null })).body.paths['/api/messages'].post;
      expect(send.parameters).toContainEqual(expect.objectContaining({ name: 'Idempotency-Key', in: 'header' }));
      expect(Object.keys(send.responses).sort()).toEqual(['201', '202', '400', '401', '404', '409', '422']);
      expect(send.requestBody.content['application/json'].schema.properties).toHaveProperty('template');
    });

    it('sends once per Idempotency-Key: a retry gets the first answer, the same key with another body gets 422', async () => {
      const h = await inboxHarness(kind);
      const ida = await idOf(h, IDA);
      await writeIn(h, IDA, 'Is the shop open today?');
      const body = { contactId: ida, text: 'Yes, until 8 pm.' };
      const headers = { 'idempotency-key': 'reply-ida-1' };
      const first = await h.call('POST', '/api/messages', { body, headers });
      const retry = await h.call('POST', '/api/messages', { body, headers });
      expect(first.status).toBe(201);
      expect(retry.status).toBe(201);
      expect(retry.body).toEqual(first.body);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(sentTo(h, IDA)).toHaveLength(1);
      const reused = await h.call('POST', '/api/messages', { body: { ...body, text: 'Yes, until 9 pm.' }, headers });
      expect(reused.status).toBe(422);
      expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(sentTo(h, IDA)).toHaveLength(1);
    });
  });
});
