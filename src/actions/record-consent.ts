// Records an opt-in or opt-out for one person from a command or the API, creating the contact when
// the number is new: an opt-out from someone not yet imported must still stop a later campaign.

import { deriveConsent, type Consent, type ConsentCategory, type ConsentEventKind } from '../domain/consent.ts';
import { normalizePhone } from '../domain/phone.ts';
import { AppError } from '../errors.ts';
import type { Clock } from '../lib/clock.ts';
import { insertConsentEventsByPhone, listConsentEvents } from '../store/consent-events.ts';
import { findContactByPhone, upsertContacts } from '../store/contacts.ts';
import type { Db } from '../store/db.ts';

export type RecordConsentInput = {
  phone: string;
  defaultCountry?: string | null;
  kind: ConsentEventKind;
  categories: ConsentCategory[];
  source: string;
  proof?: string | null;
  occurredAt?: Date;
};

export type RecordConsentResult = { phone: string; contactCreated: boolean; eventsRecorded: number; consent: Consent };

export async function recordConsent(deps: { db: Db; clock: Clock }, input: RecordConsentInput): Promise<RecordConsentResult> {
  const phone = normalizePhone(input.phone, input.defaultCountry);
  if (!phone.ok) throw new AppError('INVALID_PHONE', phone.message);
  const source = input.source.trim();
  if (source === '' || source.length > 200) throw new AppError('INVALID_INPUT', 'source must be 1 to 200 characters: where the person said it (e.g. "checkout form", "call center")');
  const proof = input.proof?.trim() || null;
  // An opt-in is evidence only with the words the person agreed to (whatsapp-rules.md §8.1).
  if (input.kind === 'opt_in' && !proof) throw new AppError('INVALID_INPUT', 'an opt-in needs its proof: the text the person agreed to (--text)');
  if (input.categories.length === 0) throw new AppError('INVALID_INPUT', 'name at least one category: marketing, utility or all');
  const now = deps.clock.now();
  const occurredAt = input.occurredAt ?? now;
  if (occurredAt.getTime() > now.getTime() + 5 * 60 * 1000) throw new AppError('INVALID_INPUT', 'the consent cannot have happened in the future');

  return deps.db.transaction(async (tx) => {
    const { createdPhones } = await upsertContacts(tx, [{ phone: phone.e164, name: null, language: null, country: phone.country, timeZone: phone.timeZone, timeZoneOverridden: false, lineType: phone.lineType, attributes: {}, tags: [] }], now);
    const events = input.categories.map((category) => ({ phone: phone.e164, category, kind: input.kind, occurredAt, source, proof }));
    const gained = await insertConsentEventsByPhone(tx, events, now);
    const contact = await findContactByPhone(tx, phone.e164);
    if (!contact) throw new Error(`contact ${phone.e164} vanished inside its own transaction`);
    const history = await listConsentEvents(tx, contact.id);
    return { phone: phone.e164, contactCreated: createdPhones.length > 0, eventsRecorded: gained.size > 0 ? events.length : 0, consent: deriveConsent(history) };
  });
}
