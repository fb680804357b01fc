// SQL for the consent ledger. Append-only: the database refuses updates and deletes (migration 0001).

import type { ConsentCategory, ConsentEvent, ConsentEventKind } from '../domain/consent.ts';
import type { Db } from './db.ts';

export type ConsentEventForPhone = ConsentEvent & { phone: string };

/*
 * insertConsentEventsByPhone: appends events for contacts named by phone, in one statement per batch.
 * $1: jsonb array of events, $2: now (recorded_at). An event already in the ledger (same contact,
 * category, kind and instant) is the same fact recorded again and is skipped, which makes re-imports
 * and redelivered webhooks harmless. Returns the phones that gained at least one event.
 */
const insertByPhoneSql = `
with inserted as (
  insert into consent_events (contact_id, category, kind, occurred_at, recorded_at, source, proof)
  select c.id, e.category, e.kind, e.occurred_at, $2, e.source, e.proof
  from jsonb_to_recordset($1::jsonb) as e(phone text, category text, kind text, occurred_at timestamptz, source text, proof text)
  join contacts c on c.phone = e.phone
  on conflict (contact_id, category, kind, occurred_at) do nothing
  returning contact_id
)
select c.phone from contacts c where c.id in (select contact_id from inserted)`;

export async function insertConsentEventsByPhone(db: Db, events: readonly ConsentEventForPhone[], now: Date): Promise<Set<string>> {
  if (events.length === 0) return new Set();
  const rows = events.map((event) => ({
    phone: event.phone,
    category: event.category,
    kind: event.kind,
    occurred_at: event.occurredAt.toISOString(),
    source: event.source,
    proof: event.proof,
  }));
  const inserted = await db.query<{ phone: string }>(insertByPhoneSql, [JSON.stringify(rows), now]);
  return new Set(inserted.map((row) => row.phone));
}

export type StoredConsentEvent = ConsentEvent & { id: number; recordedAt: Date };

export async function listConsentEvents(db: Db, contactId: number): Promise<StoredConsentEvent[]> {
  const rows = await db.query<{ id: number; category: ConsentCategory; kind: ConsentEventKind; occurred_at: Date; recorded_at: Date; source: string; proof: string | null }>(
    'select id, category, kind, occurred_at, recorded_at, source, proof from consent_events where contact_id = $1 order by occurred_at, id',
    [contactId],
  );
  return rows.map((row) => ({
    id: row.id,
    category: row.category,
    kind: row.kind,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
    source: row.source,
    proof: row.proof,
  }));
}

/** Appends events for one contact (e.g. an opt-out sent on WhatsApp, where the person may have no phone on file); true when any was new. */
export async function insertConsentEventsForContact(db: Db, contactId: number, events: readonly ConsentEvent[], now: Date): Promise<boolean> {
  if (events.length === 0) return false;
  const rows = events.map((event) => ({ category: event.category, kind: event.kind, occurred_at: event.occurredAt.toISOString(), source: event.source, proof: event.proof }));
  const inserted = await db.query(
    `insert into consent_events (contact_id, category, kind, occurred_at, recorded_at, source, proof)
     select $1, e.category, e.kind, e.occurred_at, $3, e.source, e.proof
     from jsonb_to_recordset($2::jsonb) as e(category text, kind text, occurred_at timestamptz, source text, proof text)
     on conflict (contact_id, category, kind, occurred_at) do nothing returning id`,
    [contactId, JSON.stringify(rows), now],
  );
  return inserted.length > 0;
}
