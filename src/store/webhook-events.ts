// SQL for the raw webhook inbox: store first (deduplicated by the body's hash), then claim batches
// to process with a lease, so a crashed processor's batch is taken up again and none is lost.

import type { Db } from './db.ts';

/*
 * insertWebhookEvent: stores one POST body; the same bytes delivered again are the same row.
 * Returns the id and whether this call stored it (false for a duplicate).
 */
const insertSql = `
with inserted as (
  insert into webhook_events (body_sha256, body, received_at) values ($1, $2, $3)
  on conflict (body_sha256) do nothing
  returning id
)
select id, true as stored from inserted
union all
select id, false as stored from webhook_events where body_sha256 = $1 and not exists (select 1 from inserted)`;

export async function insertWebhookEvent(db: Db, event: { bodySha256: string; body: string; receivedAt: Date }): Promise<{ id: number; stored: boolean }> {
  const [row] = await db.query<{ id: number; stored: boolean }>(insertSql, [event.bodySha256, event.body, event.receivedAt]);
  if (row) return row;
  // The same body arriving twice at once: the other insert won, but its row was not yet visible to
  // this statement's snapshot. It is committed now (ON CONFLICT waited for it).
  const [existing] = await db.query<{ id: number }>('select id from webhook_events where body_sha256 = $1', [event.bodySha256]);
  if (!existing) throw new Error('insertWebhookEvent: a conflicting webhook row is not visible');
  return { id: existing.id, stored: false };
}

export type ClaimedWebhookEvent = { id: number; body: string; attempts: number; receivedAt: Date };

/*
 * claimWebhookEvents: takes up to $2 unprocessed events in arrival order whose lease is free or
 * expired, and leases them until $1 + $3 ms. SKIP LOCKED lets several processors (PostgreSQL
 * workers) share the inbox without waiting on each other or taking the same event.
 */
const claimSql = `
with due as (
  select id from webhook_events
  where processed_at is null and (locked_until is null or locked_until <= $1)
  order by id
  limit $2
  for update skip locked
)
update webhook_events w set locked_until = $1::timestamptz + ($3::integer * interval '1 millisecond'), attempts = w.attempts + 1
from due where w.id = due.id
returning w.id, w.body, w.attempts, w.received_at`;

export async function claimWebhookEvents(db: Db, now: Date, limit: number, leaseMs: number): Promise<ClaimedWebhookEvent[]> {
  const rows = await db.query<{ id: number; body: string; attempts: number; received_at: Date }>(claimSql, [now, limit, leaseMs]);
  return rows.map((row) => ({ id: row.id, body: row.body, attempts: row.attempts, receivedAt: row.received_at }));
}

/**
 * Frees every claim on unprocessed events (and the back-off of failed ones): for the embedded database
 * at start, where the process that held them has died (one process per directory). They are taken up
 * at once instead of when the 60 s lease runs out.
 */
export async function releaseWebhookClaims(db: Db): Promise<number> {
  const rows = await db.query<{ released: number }>('with released as (update webhook_events set locked_until = null where processed_at is null and locked_until is not null returning 1) select count(*)::int as released from released');
  return rows[0]?.released ?? 0;
}

export async function completeWebhookEvent(db: Db, id: number, now: Date, counts: { applied: number; unhandled: number; note: string | null }): Promise<void> {
  await db.query('update webhook_events set processed_at = $2, locked_until = null, events_applied = $3, events_unhandled = $4, last_error = $5 where id = $1', [id, now, counts.applied, counts.unhandled, counts.note]);
}

/** Leaves the event unprocessed for another attempt after `retryAt`, keeping the error for operators. */
export async function failWebhookEvent(db: Db, id: number, retryAt: Date, error: string): Promise<void> {
  await db.query('update webhook_events set locked_until = $2, last_error = $3 where id = $1', [id, retryAt, error.slice(0, 2000)]);
}

export async function countPendingWebhookEvents(db: Db): Promise<number> {
  const [row] = await db.query<{ count: number }>('select count(*) as count from webhook_events where processed_at is null');
  return row?.count ?? 0;
}

/** Marks many webhooks processed in one statement (the batched path for status-only webhooks). */
export async function completeWebhookEvents(db: Db, completions: ReadonlyArray<{ id: number; applied: number }>, now: Date): Promise<void> {
  if (completions.length === 0) return;
  await db.query(
    `update webhook_events w set processed_at = $2, locked_until = null, events_applied = c.applied, events_unhandled = 0, last_error = null
     from jsonb_to_recordset($1::jsonb) as c(id bigint, applied integer) where w.id = c.id`,
    [JSON.stringify(completions), now],
  );
}
