// Pins the envelope and routing guarantees of parseWebhook (whatsapp-rules.md §4.5b, §6.4): what makes a
// POST "not a webhook", how bad entries, changes and unknown fields degrade, and that it never throws.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseWebhook } from './webhook.ts';

const WABA = '102290129340398';
const metadata = { display_phone_number: '15550783881', phone_number_id: '106540352242922' };
const statusChange = (wamid: string, status = 'delivered') => ({
  field: 'messages',
  value: { messaging_product: 'whatsapp', metadata, statuses: [{ id: wamid, status, timestamp: '1750040010', recipient_id: '5511987654321' }] },
});
const post = (...changes: unknown[]) => ({ object: 'whatsapp_business_account', entry: [{ id: WABA, time: 1750040000, changes }] });

function eventsOf(payload: unknown) {
  const result = parseWebhook(payload);
  if (!result.ok) throw new Error(`expected ok, got: ${result.reason}`);
  return result.events;
}

describe('parseWebhook: the envelope', () => {
  it.each([
    ['null', null],
    ['a string', '{"object":"whatsapp_business_account"}'],
    ['a number', 42],
    ['an array', [post()]],
    ['an object without entry', { object: 'whatsapp_business_account' }],
    ['an object whose entry is not a list', { object: 'whatsapp_business_account', entry: { id: WABA } }],
    ['an object without object', { entry: [] }],
  ])('refuses %s with a reason instead of throwing', (_name, payload) => {
    const result = parseWebhook(payload);
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/\S/) as string });
  });

  it.each(['page', 'instagram', 'WHATSAPP_BUSINESS_ACCOUNT'])('refuses a POST whose object is "%s": it is not a WhatsApp webhook', (object) => {
    expect(parseWebhook({ object, entry: [] })).toEqual({ ok: false, reason: `object is "${object}", expected "whatsapp_business_account"` });
  });

  it('accepts an empty entry list as a webhook with no events', () => {
    expect(parseWebhook({ object: 'whatsapp_business_account', entry: [] })).toEqual({ ok: true, events: [] });
  });

  it('keeps unknown top-level and entry keys without complaint (Meta adds fields without notice)', () => {
    const payload = { ...post(statusChange('wamid.A')), api_version: 'v25.0', entry: [{ id: WABA, changes: [statusChange('wamid.A')], hmac: 'x' }] };
    expect(eventsOf(payload)).toMatchObject([{ kind: 'message_status', wamid: 'wamid.A' }]);
  });

  it('reads a WABA id Meta wrote as a JSON number as the same digits', () => {
    expect(eventsOf({ object: 'whatsapp_business_account', entry: [{ id: 102290129340398, changes: [statusChange('wamid.A')] }] })).toMatchObject([{ wabaId: WABA }]);
  });
});

describe('parseWebhook: one bad part never hides the good ones', () => {
  it('keeps the good statuses of a POST when one change in it is malformed', () => {
    const events = eventsOf(post(statusChange('wamid.A'), { field: 'messages', value: { statuses: 'nope' } }, statusChange('wamid.C', 'read')));
    expect(events.map((event) => event.kind)).toEqual(['message_status', 'unhandled', 'message_status']);
    expect(events[1]).toEqual({ kind: 'unhandled', wabaId: WABA, field: 'messages', reason: expect.stringContaining('messages schema') as string });
  });

  it('keeps the next entry when one entry is malformed, and reports the bad one with no WABA id', () => {
    const payload = { object: 'whatsapp_business_account', entry: [{ changes: [statusChange('wamid.A')] }, 'junk', { id: WABA, changes: [statusChange('wamid.B')] }] };
    const events = eventsOf(payload);
    expect(events).toMatchObject([
      { kind: 'unhandled', wabaId: null, field: '(entry)', reason: expect.stringContaining('entry[0]') as string },
      { kind: 'unhandled', wabaId: null, field: '(entry)', reason: expect.stringContaining('entry[1]') as string },
      { kind: 'message_status', wamid: 'wamid.B' },
    ]);
  });

  it('reports a change without a field as unhandled "(change)" and keeps its neighbours', () => {
    expect(eventsOf(post({ value: {} }, statusChange('wamid.B')))).toMatchObject([
      { kind: 'unhandled', wabaId: WABA, field: '(change)' },
      { kind: 'message_status', wamid: 'wamid.B' },
    ]);
  });

  it('never throws, whatever JSON sits where a value, change or entry should be', () => {
    const fields = fc.constantFrom('messages', 'user_preferences', 'message_template_status_update', 'message_template_quality_update', 'template_category_update', 'phone_number_quality_update', 'business_capability_update', 'account_update', 'account_alerts', 'other');
    const change = fc.oneof(fc.record({ field: fields, value: fc.jsonValue() }), fc.jsonValue());
    const entry = fc.oneof(fc.record({ id: fc.oneof(fc.string(), fc.integer()), time: fc.oneof(fc.integer(), fc.string()), changes: fc.array(change) }), fc.jsonValue());
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 4 }), (entries) => {
        const result = parseWebhook({ object: 'whatsapp_business_account', entry: entries });
        expect(result.ok).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseWebhook: routing on field and on shape', () => {
  it.each(['account_review_update', 'security', 'constructor', '__proto__', 'toString', ''])('keeps a change of the field "%s" as unhandled, naming the field', (field) => {
    expect(eventsOf(post({ field, value: { decision: 'APPROVED' } }))).toEqual([{ kind: 'unhandled', wabaId: WABA, field, reason: `Greenlight does not read the "${field}" field` }]);
  });

  it('reads a quality update that Meta labelled message_template_status_update as a quality event (§4.5b)', () => {
    const value = { previous_quality_score: 'GREEN', new_quality_score: 'RED', message_template_id: 806312974732579, message_template_name: 'welcome_template', message_template_language: 'en-US' };
    expect(eventsOf(post({ field: 'message_template_status_update', value }))).toMatchObject([{ kind: 'template_quality', newScore: 'RED', language: 'en_US' }]);
  });

  it('still reads a real status update under message_template_status_update as a status event', () => {
    const value = { event: 'APPROVED', message_template_id: 1, message_template_name: 'welcome_template', message_template_language: 'en_US', reason: 'NONE' };
    expect(eventsOf(post({ field: 'message_template_status_update', value }))).toMatchObject([{ kind: 'template_status', status: 'APPROVED', reason: 'NONE' }]);
  });

  it('gives every event of an entry that entry’s WABA id', () => {
    const payload = { object: 'whatsapp_business_account', entry: [{ id: 'A1', changes: [statusChange('wamid.A')] }, { id: 'B2', changes: [statusChange('wamid.B'), { field: 'nope', value: 1 }] }] };
    expect(eventsOf(payload).map((event) => event.wabaId)).toEqual(['A1', 'B2', 'B2']);
  });
});
