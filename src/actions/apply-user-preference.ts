// Applies WhatsApp's own marketing preference (user_preferences webhook): "stop" suppresses marketing
// until a "resume" arrives (whatsapp-rules.md §6.3, §8.2). It is not consent: resume does not opt in.

import type { UserPreferenceEvent } from '../domain/whatsapp-events.ts';
import type { Db } from '../store/db.ts';
import { addSuppression, liftSuppression } from '../store/suppressions.ts';
import { resolveWebhookContact } from './resolve-webhook-contact.ts';

export async function applyUserPreference(tx: Db, event: UserPreferenceEvent, now: Date): Promise<void> {
  const contactId = await resolveWebhookContact(tx, event.person, null, now);
  if (contactId === null) return;
  if (event.value === 'stop') {
    await addSuppression(tx, { contactId, reason: 'marketing_stopped', scope: 'marketing', source: `user_preferences ${event.category}${event.detail ? `: ${event.detail}` : ''}`, until: null, occurredAt: event.at }, now);
  } else {
    await liftSuppression(tx, { contactId, reason: 'marketing_stopped', liftedBy: 'user_preferences resume', occurredAt: event.at }, now);
  }
}
