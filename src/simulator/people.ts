// What simulated people do on WhatsApp, turned into Meta's webhooks: they write in (opening the 24 h
// window, §7.1, and using the number's throughput, §2), say STOP, and stop marketing in WhatsApp's
// settings (user_preferences, §8.2). Blocks and reports are silent: Meta only reflects them in quality.

import type { Conversations } from './conversations.ts';
import type { IdSource } from './ids.ts';
import type { Population } from './population.ts';
import type { Random } from './random.ts';
import type { RateLimits } from './rate-limits.ts';
import type { Senders } from './senders.ts';
import type { SimClock } from './sim-clock.ts';
import { unixSeconds, type Metadata, type WebhookUpdate } from './webhook-payloads.ts';

const REPLIES = ['Thanks!', 'Ok 👍', 'What time do you open tomorrow?', 'Can you send me more details?', 'Is this still available?', 'Great, thank you', 'How much is shipping?'];
const STOP_WORDS = ['STOP', 'Stop', 'stop', 'STOP please', 'Unsubscribe'];

export type PeopleDeps = {
  clock: SimClock;
  ids: IdSource;
  random: Random;
  population: Population;
  conversations: Conversations;
  rateLimits: RateLimits;
  senders: Senders;
  enqueue: (update: WebhookUpdate) => void;
};

export function createPeople(deps: PeopleDeps) {
  const metadataFor = (phoneNumberId: string): { wabaId: string; metadata: Metadata } | null => {
    const sender = deps.senders.get(phoneNumberId);
    return sender === undefined ? null : { wabaId: sender.wabaId, metadata: { display_phone_number: sender.displayPhoneNumber, phone_number_id: sender.id } };
  };

  /** A person writes to a business number: returns the inbound message's wamid, or null for an unknown number. */
  const inbound = (phoneNumberId: string, waId: string, body: string, replyTo?: string): string | null => {
    const where = metadataFor(phoneNumberId);
    if (where === null) return null;
    const atMs = deps.clock.nowMs();
    const wamid = deps.ids.wamid(waId);
    deps.conversations.recordInbound(phoneNumberId, waId, atMs);
    deps.rateLimits.countInbound(phoneNumberId, atMs);
    const message = {
      from: waId,
      id: wamid,
      timestamp: String(unixSeconds(atMs)),
      type: 'text' as const,
      text: { body },
      ...(replyTo === undefined ? {} : { context: { from: where.metadata.display_phone_number, id: replyTo } }),
    };
    const contacts = [{ profile: { name: deps.population.person(waId).name }, wa_id: waId }];
    deps.enqueue({ wabaId: where.wabaId, atMs, change: { field: 'messages', value: { messaging_product: 'whatsapp', metadata: where.metadata, contacts, messages: [message] } } });
    return wamid;
  };

  /** "Offers and announcements" → stop (later marketing gets 131050, §8.2) or resume; a webhook either way. */
  const setMarketingPreference = (phoneNumberId: string, waId: string, value: 'stop' | 'resume') => {
    const where = metadataFor(phoneNumberId);
    if (where === null || deps.population.hasStoppedMarketing(where.wabaId, waId) === (value === 'stop')) return;
    const atMs = deps.clock.nowMs();
    if (value === 'stop') deps.population.stopMarketing(where.wabaId, waId);
    else deps.population.resumeMarketing(where.wabaId, waId);
    const detail = value === 'stop' ? 'User requested to stop marketing messages' : 'User requested to resume marketing messages';
    const preference = { wa_id: waId, detail, category: 'marketing_messages' as const, value, timestamp: unixSeconds(atMs) };
    const contacts = [{ profile: { name: deps.population.person(waId).name }, wa_id: waId }];
    deps.enqueue({ wabaId: where.wabaId, atMs, change: { field: 'user_preferences', value: { messaging_product: 'whatsapp', metadata: where.metadata, contacts, user_preferences: [preference] } } });
  };

  return {
    inbound,
    setMarketingPreference,
    stopMarketing: (phoneNumberId: string, waId: string) => setMarketingPreference(phoneNumberId, waId, 'stop'),
    reply: (phoneNumberId: string, waId: string, replyTo: string) => inbound(phoneNumberId, waId, deps.random.pick(REPLIES), replyTo),
    sayStop: (phoneNumberId: string, waId: string) => inbound(phoneNumberId, waId, deps.random.pick(STOP_WORDS)),
  };
}

export type People = ReturnType<typeof createPeople>;
