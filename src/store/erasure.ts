// SQL for erasing one contact's personal data (actions/erase-contact.ts runs these in one transaction)
// and for the erasure list's key. What each statement clears follows the migrations: every column that
// holds a person's identifiers, words or device is cleared; ids, times and counts stay for reports.

import type { Db } from './db.ts';

/** Stores the key's padded forms unless a key exists; the first one written wins, so every process agrees. */
export async function insertErasureKeyIfMissing(db: Db, pads: { inner: Buffer; outer: Buffer }, now: Date): Promise<void> {
  await db.query('insert into erasure_keys (id, inner_pad, outer_pad, created_at) values (1, $1, $2, $3) on conflict (id) do nothing', [pads.inner, pads.outer, now]);
}

export type ErasableContact = { id: number; phone: string | null; waId: string | null; businessUserId: string | null; erasedAt: Date | null };

/** Locks the contact's row for the erasure (two erasures of one contact run one after the other). */
export async function lockContactForErasure(db: Db, contactId: number): Promise<ErasableContact | null> {
  const [row] = await db.query<{ id: number; phone: string | null; wa_id: string | null; business_user_id: string | null; erased_at: Date | null }>(
    'select id, phone, wa_id, business_user_id, erased_at from contacts where id = $1 for update',
    [contactId],
  );
  return row ? { id: row.id, phone: row.phone, waId: row.wa_id, businessUserId: row.business_user_id, erasedAt: row.erased_at } : null;
}

/** The identifiers' keyed hashes go on the erasure list (erasure_digest: HMAC-SHA256 in SQL); returns how many were new. */
export async function insertErasedIdentities(db: Db, contact: ErasableContact, now: Date): Promise<number> {
  const rows = await db.query(
    `insert into erased_identities (kind, digest, contact_id, erased_at)
     select v.kind, erasure_digest(v.value), $1, $5
     from (values ('phone', $2::text), ('wa_id', $3::text), ('business_user_id', $4::text)) as v(kind, value)
     where v.value is not null
     on conflict (kind, digest) do nothing returning kind`,
    [contact.id, contact.phone, contact.waId, contact.businessUserId, now],
  );
  return rows.length;
}

export type ErasureCounts = { inboundMessages: number; messages: number; statusEvents: number; clicks: number; webhookBodies: number; serviceWindows: number; pendingWebhookEntries: number };

/**
 * Clears the person's data outside the contacts row. Raw webhook bodies already processed that name
 * one of the identifiers (as a JSON string: "5511…") are replaced whole: they may hold the profile
 * name and message texts, and their digest still deduplicates a redelivery. Bodies not yet processed
 * are the action's (erase-contact.ts): they are redacted entry by entry, since others' events are in them.
 */
export async function clearContactTraces(db: Db, contact: ErasableContact, now: Date): Promise<Omit<ErasureCounts, 'pendingWebhookEntries'>> {
  const count = async (sql: string, params: unknown[]) => (await db.query(sql, params)).length;
  const inboundMessages = await count('update inbound_messages set text = null, payload = null, referral = null where contact_id = $1 returning id', [contact.id]);
  const statusEvents = await count(
    `update message_status_events set recipient_wa_id = null, recipient_user_id = null
     where (recipient_wa_id is not null or recipient_user_id is not null)
       and (wamid in (select wamid from messages where contact_id = $1 and wamid is not null) or recipient_wa_id = $2 or recipient_user_id = $3)
     returning id`,
    [contact.id, contact.waId ?? contact.phone?.slice(1) ?? null, contact.businessUserId],
  );
  const clicks = await count(
    `update clicks set user_agent = null
     where user_agent is not null and token in (select l.token from click_links l join messages m on m.id = l.message_id where m.contact_id = $1)
     returning id`,
    [contact.id],
  );
  const messages = await count('update messages set content = null, error_details = null where contact_id = $1 and (content is not null or error_details is not null) returning id', [contact.id]);
  const needles = erasedIdentifiers(contact).map((value) => JSON.stringify(value));
  const webhookBodies = needles.length === 0 ? 0 : await count(
    `update webhook_events set body = $2
     where processed_at is not null and exists (select 1 from unnest($1::text[]) as needle where position(needle in body) > 0)
     returning id`,
    [needles, JSON.stringify({ redacted: 'erasure', at: now.toISOString() })],
  );
  const serviceWindows = await count('delete from service_windows where contact_id = $1 returning contact_id', [contact.id]);
  return { inboundMessages, messages, statusEvents, clicks, webhookBodies, serviceWindows };
}

/** The person's identifiers as webhooks write them: the number without its +, the wa_id, the BSUID. */
export function erasedIdentifiers(contact: ErasableContact): string[] {
  return [contact.phone?.slice(1), contact.waId, contact.businessUserId].filter((value): value is string => value !== null && value !== undefined);
}

/**
 * Webhook bodies not processed yet that name one of `identifiers`, locked until the erasure commits. A
 * batch a processor has already read may still write what it read: the erasure list then suppresses
 * any contact it creates, and a second erasure clears it.
 */
export async function listUnprocessedWebhooksNaming(db: Db, identifiers: readonly string[]): Promise<Array<{ id: number; body: string }>> {
  if (identifiers.length === 0) return [];
  return db.query<{ id: number; body: string }>(
    `select id, body from webhook_events
     where processed_at is null and exists (select 1 from unnest($1::text[]) as needle where position(needle in body) > 0)
     order by id for update`,
    [identifiers.map((value) => JSON.stringify(value))],
  );
}

/** Replaces a body with its redacted form; its digest (the deduplication key of Meta's redeliveries) stays. */
export async function replaceWebhookBody(db: Db, id: number, body: string): Promise<void> {
  await db.query('update webhook_events set body = $2 where id = $1', [id, body]);
}

/** Empties the contacts row of everything about the person; its id stays for the consent ledger. */
export async function blankContact(db: Db, contactId: number, now: Date): Promise<void> {
  await db.query(
    `update contacts set phone = null, wa_id = null, business_user_id = null, name = null, language = null, country = null,
       time_zone = null, time_zone_overridden = false, line_type = null, attributes = '{}'::jsonb, tags = '{}', erased_at = $2, updated_at = $2
     where id = $1`,
    [contactId, now],
  );
}
