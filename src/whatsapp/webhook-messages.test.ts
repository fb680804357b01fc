// Pins how the `messages` and `user_preferences` fields become domain events (whatsapp-rules.md §6.1–§6.3,
// §6.5, §8.2): statuses item by item, what counts as the words and the choice of an inbound message, and
// people known only by their BSUID. Goes through parseWebhook, the only entry point callers use.
import { describe, expect, it } from 'vitest';
import type { InboundMessageEvent, MessageStatusEvent, UserPreferenceEvent, WhatsAppEvent } from '../domain/whatsapp-events.ts';
import { parseWebhook } from './webhook.ts';

const WABA = '102290129340398';
const metadata = { display_phone_number: '15550783881', phone_number_id: '106540352242922' };
const ana = { profile: { name: 'Ana' }, wa_id: '5511987654321' };

function eventsOf(field: string, value: unknown): WhatsAppEvent[] {
  const result = parseWebhook({ object: 'whatsapp_business_account', entry: [{ id: WABA, changes: [{ field, value }] }] });
  if (!result.ok) throw new Error(result.reason);
  return result.events;
}
const statuses = (...items: unknown[]) => eventsOf('messages', { messaging_product: 'whatsapp', metadata, statuses: items });
const messages = (items: unknown[], extra: Record<string, unknown> = {}) => eventsOf('messages', { messaging_product: 'whatsapp', metadata, contacts: [ana], messages: items, ...extra });
const only = <T extends WhatsAppEvent['kind']>(events: WhatsAppEvent[], kind: T) => {
  expect(events).toHaveLength(1);
  expect(events[0]?.kind).toBe(kind);
  return events[0] as Extract<WhatsAppEvent, { kind: T }>;
};
const status = (overrides: Record<string, unknown> = {}) => ({ id: 'wamid.S', status: 'delivered', timestamp: '1750040010', recipient_id: '5511987654321', ...overrides });
const message = (type: string, content: Record<string, unknown>) => ({ from: '5511987654321', id: 'wamid.M', timestamp: '1750040000', type, ...content });

describe('statuses', () => {
  it.each(['sent', 'delivered', 'read', 'played', 'failed', 'deleted', 'warning'])('reads the status "%s"', (value) => {
    expect(only(statuses(status({ status: value })), 'message_status').status).toBe(value);
  });

  it('reads unix seconds written as a string or as a number to the same instant', () => {
    const [asString, asNumber] = statuses(status({ timestamp: '1750040010' }), status({ timestamp: 1750040010 })) as MessageStatusEvent[];
    expect(asString?.at).toEqual(new Date('2025-06-16T02:13:30Z'));
    expect(asNumber?.at).toEqual(asString?.at);
  });

  it.each([
    ['a millisecond timestamp', { timestamp: '1750040010000' }, 'timestamp'],
    ['a timestamp that is not a number', { timestamp: 'yesterday' }, 'timestamp'],
    ['an empty wamid', { id: '' }, 'id'],
    ['no wamid', { id: undefined }, 'id'],
  ])('keeps a status with %s as unhandled, because a wrong id or instant would corrupt the ledger', (_name, overrides, path) => {
    expect(only(statuses(status(overrides)), 'unhandled').reason).toContain(path);
  });

  it('keeps a status Meta invents later ("exploded") as unhandled and the other statuses of the change as events', () => {
    const events = statuses(status({ id: 'wamid.1' }), status({ id: 'wamid.2', status: 'exploded' }), status({ id: 'wamid.3', status: 'read' }));
    expect(events).toMatchObject([{ wamid: 'wamid.1' }, { kind: 'unhandled', field: 'messages', reason: 'statuses[1] has an unknown status "exploded"' }, { wamid: 'wamid.3' }]);
  });

  it('reads a recipient known only by BSUID with waId null', () => {
    expect(only(statuses(status({ recipient_id: '', recipient_user_id: 'US.134912' })), 'message_status').recipient).toEqual({ waId: null, businessUserId: 'US.134912' });
  });

  it('reads v24+ statuses without conversation or pricing as nulls', () => {
    expect(only(statuses(status()), 'message_status')).toMatchObject({ pricing: null, conversation: null, bizOpaqueCallbackData: null, errors: [] });
  });

  it('reads an error whose details sit at the top level instead of in error_data', () => {
    const errors = [{ code: 131053, title: 'Media upload error', details: 'Unsupported MIME type' }];
    expect(only(statuses(status({ status: 'failed', errors })), 'message_status').errors).toEqual([{ code: 131053, title: 'Media upload error', message: null, details: 'Unsupported MIME type' }]);
  });
});

describe('inbound messages: what the person wrote or chose', () => {
  it.each<[string, Record<string, unknown>, Pick<InboundMessageEvent, 'text' | 'payload'>]>([
    ['text', { text: { body: 'STOP' } }, { text: 'STOP', payload: null }],
    ['button', { button: { text: 'Stop promotions', payload: 'STOP_PROMOS' } }, { text: 'Stop promotions', payload: 'STOP_PROMOS' }],
    ['interactive', { interactive: { type: 'button_reply', button_reply: { id: 'yes_1', title: 'Yes' } } }, { text: 'Yes', payload: 'yes_1' }],
    ['interactive', { interactive: { type: 'list_reply', list_reply: { id: 'row_2', title: 'Tuesday', description: '10h' } } }, { text: 'Tuesday', payload: 'row_2' }],
    ['interactive', { interactive: { type: 'nfm_reply', nfm_reply: { name: 'flow', body: 'Sent', response_json: '{"flow_token":"t"}' } } }, { text: null, payload: null }],
    ['image', { image: { id: '1', mime_type: 'image/jpeg', caption: 'broken box' } }, { text: 'broken box', payload: null }],
    ['video', { video: { id: '2', caption: 'see this' } }, { text: 'see this', payload: null }],
    ['document', { document: { id: '3', filename: 'nota.pdf', caption: 'invoice' } }, { text: 'invoice', payload: null }],
    ['audio', { audio: { id: '4', voice: true } }, { text: null, payload: null }],
    ['sticker', { sticker: { id: '5', animated: false } }, { text: null, payload: null }],
    ['location', { location: { latitude: -23.56, longitude: -46.65, name: 'Av. Paulista' } }, { text: null, payload: null }],
    ['order', { order: { catalog_id: '9', text: 'no onions', product_items: [{ product_retailer_id: 'X', quantity: 1, item_price: 10, currency: 'BRL' }] } }, { text: 'no onions', payload: null }],
    ['system', { system: { body: 'User A changed from 1 to 2', type: 'user_changed_number', new_wa_id: '2' } }, { text: null, payload: null }],
    ['text', { text: { body: '' } }, { text: null, payload: null }],
    ['poll', { poll: { question: 'a type Meta adds later' } }, { text: null, payload: null }],
  ])('reads a %s message as %j', (type, content, expected) => {
    const event = only(messages([message(type, content)]), 'inbound_message');
    expect({ type: event.type, text: event.text, payload: event.payload }).toEqual({ type, ...expected });
  });

  it('points a reaction at the message it reacts to', () => {
    expect(only(messages([message('reaction', { reaction: { message_id: 'wamid.ours', emoji: '👍' } })]), 'inbound_message').contextWamid).toBe('wamid.ours');
  });

  it('attaches value-level errors to a message Meta could not read (an interactive without its body)', () => {
    const errors = [{ code: 131000, title: 'Something went wrong', message: 'Something went wrong', error_data: { details: 'Unsupported webhook payload' } }];
    const event = only(messages([message('interactive', { context: { from: '15550783881', id: 'wamid.ours' } })], { errors }), 'inbound_message');
    expect(event).toMatchObject({ text: null, contextWamid: 'wamid.ours', errors: [{ code: 131000, details: 'Unsupported webhook payload' }] });
  });

  it('reports value-level errors that come with no message or status as unhandled, naming the code', () => {
    const errors = [{ code: 131000, title: 'Something went wrong', error_data: { details: 'Unsupported webhook payload' } }];
    expect(only(eventsOf('messages', { metadata, errors }), 'unhandled').reason).toContain('131000 (Unsupported webhook payload)');
  });
});

describe('inbound messages: who sent them', () => {
  it('reads a sender with wa_id "" and a BSUID as waId null, businessUserId set (§6.5)', () => {
    const value = { metadata, contacts: [{ profile: { name: 'Rafa' }, wa_id: '', user_id: 'BR.208' }], messages: [{ from: '', from_user_id: 'BR.208', id: 'wamid.M', timestamp: '1778579582', type: 'text', text: { body: 'oi' } }] };
    expect(only(eventsOf('messages', value), 'inbound_message')).toMatchObject({ from: { waId: null, businessUserId: 'BR.208' }, profileName: 'Rafa' });
  });

  it('reads a sender whose message has no `from` key at all, by BSUID', () => {
    const value = { metadata, contacts: [{ profile: { name: 'Rafa' }, user_id: 'BR.208' }], messages: [{ from_user_id: 'BR.208', id: 'wamid.M', timestamp: '1778579582', type: 'text', text: { body: 'oi' } }] };
    expect(only(eventsOf('messages', value), 'inbound_message').from).toEqual({ waId: null, businessUserId: 'BR.208' });
  });

  it('completes the sender from the matching contact: the phone-number sender gains the contact’s BSUID', () => {
    const value = { metadata, contacts: [{ profile: { name: 'Muhsin' }, wa_id: '919745786257', user_id: 'IN.208' }], messages: [message('text', { from: '919745786257', text: { body: 'hi' } })] };
    expect(only(eventsOf('messages', value), 'inbound_message')).toMatchObject({ from: { waId: '919745786257', businessUserId: 'IN.208' }, profileName: 'Muhsin' });
  });

  it('does not borrow a profile name from a contact that is someone else', () => {
    const value = { metadata, contacts: [{ profile: { name: 'Other' }, wa_id: '111' }], messages: [message('text', { text: { body: 'hi' } })] };
    expect(only(eventsOf('messages', value), 'inbound_message')).toMatchObject({ from: { waId: '5511987654321', businessUserId: null }, profileName: null });
  });

  it('keeps a message that names no sender at all as unhandled', () => {
    const value = { metadata, messages: [{ id: 'wamid.M', timestamp: '1750040000', type: 'text', text: { body: 'hi' } }] };
    expect(only(eventsOf('messages', value), 'unhandled').reason).toContain('names no sender');
  });
});

describe('user_preferences: the authoritative marketing opt-out (§8.2)', () => {
  const preferences = (items: unknown[], extra: Record<string, unknown> = {}) => eventsOf('user_preferences', { messaging_product: 'whatsapp', metadata, contacts: [{ wa_id: '5511987654321' }], user_preferences: items, ...extra });
  const preference = (overrides: Record<string, unknown> = {}) => ({ wa_id: '5511987654321', detail: 'User requested to resume marketing messages', category: 'marketing_messages', value: 'resume', timestamp: 1731705721, ...overrides });

  it('reads a resume with its person, category, detail and instant', () => {
    expect(only(preferences([preference()]), 'user_preference')).toEqual<UserPreferenceEvent>({
      kind: 'user_preference',
      wabaId: WABA,
      phoneNumberId: '106540352242922',
      person: { waId: '5511987654321', businessUserId: null },
      category: 'marketing_messages',
      value: 'resume',
      detail: 'User requested to resume marketing messages',
      at: new Date(1731705721 * 1_000),
    });
  });

  it('reads "STOP" written in capitals as a stop', () => {
    expect(only(preferences([preference({ value: 'STOP' })]), 'user_preference').value).toBe('stop');
  });

  it('takes the person from the only contact when the preference itself names nobody', () => {
    expect(only(preferences([preference({ wa_id: undefined })]), 'user_preference').person).toEqual({ waId: '5511987654321', businessUserId: null });
  });

  it('reads a preference without metadata with phoneNumberId null', () => {
    expect(only(preferences([preference()], { metadata: undefined }), 'user_preference').phoneNumberId).toBeNull();
  });

  it.each([
    ['an unknown value', preference({ value: 'bla' }), 'unknown value "bla"'],
    ['no person anywhere', preference({ wa_id: undefined }), 'names no person'],
    ['a millisecond timestamp', preference({ timestamp: 1731705721000 }), 'timestamp'],
  ])('keeps a preference with %s as unhandled', (_name, item, reason) => {
    const contacts = reason === 'names no person' ? [] : [{ wa_id: '5511987654321' }];
    expect(only(preferences([item], { contacts }), 'unhandled').reason).toContain(reason);
  });
});
