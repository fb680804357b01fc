// Records an opt-in or an opt-out for a contact the API names by id, through recordConsent (the one
// place consent is validated and written). An opt-out of a category already opted out of records
// nothing: asking twice to stop is one request, and the answer is the same.

import { deriveConsent, type ConsentCategory } from '../domain/consent.ts';
import { AppError } from '../errors.ts';
import type { Clock } from '../lib/clock.ts';
import { insertConsentEventsForContact, listConsentEvents } from '../store/consent-events.ts';
import { findContactsByIds } from '../store/contacts.ts';
import type { Db } from '../store/db.ts';
import { recordConsent } from './record-consent.ts';

export type ContactConsentInput =
  | { kind: 'opt_in'; contactId: number; category: ConsentCategory; source: string; proof: string }
  | { kind: 'opt_out'; contactId: number; categories: ConsentCategory[]; source: string };

/** Returns how many events were recorded (0: the opt-out was already on record). */
export async function recordContactConsent(deps: { db: Db; clock: Clock }, input: ContactConsentInput): Promise<{ eventsRecorded: number }> {
  const contact = (await findContactsByIds(deps.db, [input.contactId])).get(input.contactId);
  if (!contact) throw new AppError('NOT_FOUND', `no contact with id ${input.contactId}`);
  if (input.kind === 'opt_in') {
    // The ledger keys an opt-in's evidence to the number the person agreed on (whatsapp-rules.md §8.1).
    if (contact.phone === null) throw new AppError('INVALID_STATE', `contact ${contact.id} is known only by Meta's user id, without a phone number; an opt-in is recorded against the number the person gave`);
    const result = await recordConsent(deps, { phone: contact.phone, kind: 'opt_in', categories: [input.category], source: input.source, proof: input.proof });
    return { eventsRecorded: result.eventsRecorded };
  }
  const current = deriveConsent(await listConsentEvents(deps.db, contact.id));
  const categories = input.categories.filter((category) => current[category].state !== 'opted_out');
  if (categories.length === 0) return { eventsRecorded: 0 };
  if (contact.phone !== null) {
    const result = await recordConsent(deps, { phone: contact.phone, kind: 'opt_out', categories, source: input.source });
    return { eventsRecorded: result.eventsRecorded };
  }
  // Someone known only by Meta's user id (§6.5) may still ask to stop, and must be heard (§8.2).
  const occurredAt = deps.clock.now();
  const recorded = await insertConsentEventsForContact(deps.db, contact.id, categories.map((category) => ({ category, kind: 'opt_out' as const, occurredAt, source: input.source, proof: null })), occurredAt);
  return { eventsRecorded: recorded ? categories.length : 0 };
}
