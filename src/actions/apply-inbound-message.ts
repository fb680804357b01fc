// Applies an inbound message: find or create the person, record the message once, open or renew
// the 24 h service window, and record an opt-out with the message as proof when it is one.

import { decideInboundOptOut } from '../domain/inbound-opt-out.ts';
import { normalizePhone } from '../domain/phone.ts';
import { moveContactIdentity } from '../store/contact-identities.ts';
import type { InboundMessageEvent } from '../domain/whatsapp-events.ts';
import { insertConsentEventsForContact } from '../store/consent-events.ts';
import type { Db } from '../store/db.ts';
import { insertInboundMessage, touchServiceWindow } from '../store/inbound-messages.ts';
import { resolveWebhookContact } from './resolve-webhook-contact.ts';

export async function applyInboundMessage(tx: Db, event: InboundMessageEvent, now: Date): Promise<{ optedOut: boolean }> {
  const contactId = await resolveWebhookContact(tx, event.from, event.profileName, now);
  if (contactId === null) return { optedOut: false };
  const isNew = await insertInboundMessage(tx, event, contactId, now);
  if (!isNew) return { optedOut: false };
  if (event.system && (event.system.newWaId || event.system.newBusinessUserId)) {
    const phone = event.system.newWaId ? normalizePhone(event.system.newWaId) : null;
    await moveContactIdentity(tx, contactId, { phone: phone?.ok ? phone.e164 : null, waId: event.system.newWaId, businessUserId: event.system.newBusinessUserId }, now);
  }
  // Meta's "unsupported" and "system" messages are not the person writing; they do not open a window.
  if (event.type !== 'unsupported' && event.type !== 'system') {
    await touchServiceWindow(tx, { phoneNumberId: event.phoneNumberId, contactId, inboundAt: event.at, referralAt: event.referral ? event.at : null, ctwaClid: event.referral?.ctwaClid ?? null });
  }
  const optOut = decideInboundOptOut(event);
  if (!optOut) return { optedOut: false };
  const proof = event.payload ? `${event.text ?? ''} [button payload ${event.payload}]`.trim() : (event.text ?? optOut.keyword);
  const events = optOut.categories.map((category) => ({ category, kind: 'opt_out' as const, occurredAt: event.at, source: `whatsapp message ${event.wamid}`, proof }));
  return { optedOut: await insertConsentEventsForContact(tx, contactId, events, now) };
}
