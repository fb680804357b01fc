// Erases one contact's personal data (a privacy-law erasure request) in one transaction: the contacts
// row keeps only its id, every trace elsewhere is cleared (store/erasure.ts), and the identifiers'
// HMAC-SHA256 digests go on the erasure list, so a later import or inbound message of the same number
// is suppressed for good (the contacts trigger in migration 0007) without the number being kept.
//
// The consent ledger stays: consent_events is append-only evidence (whatsapp-rules.md §8.1) and the
// law lets a controller keep the proof of consent it must be able to show. Its rows point at the
// blanked contact; whoever holds the number can find them again through the keyed digest.
//
// The key is random, made at the first erasure and kept in the database (erasure_keys), not taken
// from the environment: a lost or changed environment key would silently empty the erasure list and
// let erased numbers be messaged again, which is the one outcome erasure must never have. The cost,
// stated in SECURITY.md: someone holding a full copy of the database can test candidate numbers.

import { createHash, randomBytes } from 'node:crypto';
import { normalizePhone } from '../domain/phone.ts';
import { AppError } from '../errors.ts';
import type { Clock } from '../lib/clock.ts';
import { insertAuditEvent, type AuditActor } from '../store/audit-events.ts';
import { insertConsentEventsForContact } from '../store/consent-events.ts';
import { findContactByPhone } from '../store/contacts.ts';
import type { Db } from '../store/db.ts';
import { redactIdentifiers } from '../domain/redact-webhook-payload.ts';
import { blankContact, clearContactTraces, erasedIdentifiers, insertErasedIdentities, insertErasureKeyIfMissing, listUnprocessedWebhooksNaming, lockContactForErasure, replaceWebhookBody, type ErasableContact, type ErasureCounts } from '../store/erasure.ts';
import { addSuppression } from '../store/suppressions.ts';

export type EraseTarget = { contactId: number } | { phone: string; defaultCountry?: string | null };

export type ErasureResult = {
  contactId: number;
  erasedAt: string;
  /** False when the contact had been erased before: nothing changed. */
  erased: boolean;
  identitiesListed: number;
  cleared: ErasureCounts | null;
};

export async function eraseContact(deps: { db: Db; clock: Clock }, target: EraseTarget, actor: AuditActor): Promise<ErasureResult> {
  const contactId = 'contactId' in target ? target.contactId : await contactIdByPhone(deps.db, target.phone, target.defaultCountry ?? null);
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const contact = await lockContactForErasure(tx, contactId);
    if (!contact) throw new AppError('NOT_FOUND', `no contact with id ${contactId}`);
    if (contact.erasedAt) return { contactId, erasedAt: contact.erasedAt.toISOString(), erased: false, identitiesListed: 0, cleared: null };
    await insertErasureKeyIfMissing(tx, hmacPads(randomBytes(32)), now);
    const identitiesListed = await insertErasedIdentities(tx, contact, now);
    const cleared = { ...(await clearContactTraces(tx, contact, now)), pendingWebhookEntries: await redactPendingWebhooks(tx, contact) };
    await blankContact(tx, contactId, now);
    // The ledger says consent ended, and the row itself is suppressed, whatever path refers to it by id.
    await insertConsentEventsForContact(tx, contactId, (['marketing', 'utility'] as const).map((category) => ({ category, kind: 'opt_out' as const, occurredAt: now, source: 'erasure', proof: null })), now);
    await addSuppression(tx, { contactId, reason: 'erased', scope: 'all', source: 'erasure request', until: null, occurredAt: now }, now);
    await insertAuditEvent(tx, actor, { action: 'contact.erase', targetType: 'contact', targetId: contactId, detail: { identitiesListed } }, now);
    return { contactId, erasedAt: now.toISOString(), erased: true, identitiesListed, cleared };
  });
}

/**
 * Webhooks stored but not processed yet would write the person's name and words back after the
 * erasure: their entries naming the person are cut out (the rest is others' events, processed as
 * usual). Returns how many entries were removed.
 */
async function redactPendingWebhooks(db: Db, contact: ErasableContact): Promise<number> {
  const identifiers = erasedIdentifiers(contact);
  let removed = 0;
  for (const event of await listUnprocessedWebhooksNaming(db, identifiers)) {
    const redacted = redactIdentifiers(JSON.parse(event.body) as unknown, new Set(identifiers));
    if (redacted.removed === 0) continue;
    await replaceWebhookBody(db, event.id, JSON.stringify(redacted.payload));
    removed += redacted.removed;
  }
  return removed;
}

async function contactIdByPhone(db: Db, raw: string, defaultCountry: string | null): Promise<number> {
  const phone = normalizePhone(raw, defaultCountry);
  if (!phone.ok) throw new AppError('INVALID_PHONE', `${raw}: ${phone.message}`);
  const contact = await findContactByPhone(db, phone.e164);
  if (!contact) throw new AppError('NOT_FOUND', `no contact with the number ${phone.e164}`);
  return contact.id;
}

/** RFC 2104: the key (hashed when over the 64-byte block) zero-padded, XOR 0x36 and XOR 0x5c. */
export function hmacPads(key: Buffer): { inner: Buffer; outer: Buffer } {
  const block = Buffer.alloc(64);
  (key.length > 64 ? createHash('sha256').update(key).digest() : key).copy(block);
  return { inner: Buffer.from(block.map((byte) => byte ^ 0x36)), outer: Buffer.from(block.map((byte) => byte ^ 0x5c)) };
}
