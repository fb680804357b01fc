// Finds (or creates) the contact a webhook talks about, from Meta's wa_id and/or business-scoped
// user id. A wa_id is a phone number without "+" (Mexico's still carries the old "1": normalised).

import { normalizePhone } from '../domain/phone.ts';
import type { PersonRef } from '../domain/whatsapp-events.ts';
import { findOrCreateContactByIdentity } from '../store/contact-identities.ts';
import type { Db } from '../store/db.ts';

export async function resolveWebhookContact(tx: Db, person: PersonRef, profileName: string | null, now: Date): Promise<number | null> {
  const phone = person.waId ? normalizePhone(person.waId) : null;
  const normalized = phone?.ok ? phone : null;
  if (!normalized && !person.businessUserId && !person.waId) return null;
  const { id } = await findOrCreateContactByIdentity(
    tx,
    { phone: normalized?.e164 ?? null, waId: person.waId, businessUserId: person.businessUserId, country: normalized?.country ?? null, timeZone: normalized?.timeZone ?? null, name: profileName },
    now,
  );
  return id;
}
