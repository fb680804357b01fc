// SQL for suppressions: reasons other than consent not to message someone (undeliverable, blocked,
// marketing stopped in WhatsApp, Meta's per-user marketing cap). Lifted, never deleted.

import type { SuppressionReason } from '../domain/suppression.ts';
import type { Db } from './db.ts';

export type SuppressionInput = { contactId: number; reason: SuppressionReason; scope: 'all' | 'marketing'; source: string; until: Date | null; occurredAt: Date };

/*
 * addSuppression: adds the suppression unless one for the same reason is active (a later `until`
 * extends it) or a lift that happened after this signal was already recorded (signals arrive out
 * of order: a "stop" delivered after a newer "resume" must stay undone).
 */
export async function addSuppression(db: Db, input: SuppressionInput, now: Date): Promise<void> {
  await db.query(
    `insert into suppressions (contact_id, reason, scope, source, created_at, occurred_at, until)
     select $1, $2, $3, $4, $5, $6, $7
     where not exists (select 1 from suppressions where contact_id = $1 and reason = $2 and lifted_occurred_at >= $6)
     on conflict (contact_id, reason) where lifted_at is null do update set
       until = case when suppressions.until is null or excluded.until is null then null else greatest(suppressions.until, excluded.until) end`,
    [input.contactId, input.reason, input.scope, input.source, now, input.occurredAt, input.until],
  );
}

/** Lifts the active suppression if it began before the lifting signal happened; true when one was lifted. */
export async function liftSuppression(db: Db, lift: { contactId: number; reason: SuppressionReason; liftedBy: string; occurredAt: Date }, now: Date): Promise<boolean> {
  const rows = await db.query(
    'update suppressions set lifted_at = $3, lifted_by = $4, lifted_occurred_at = $5 where contact_id = $1 and reason = $2 and lifted_at is null and occurred_at <= $5 returning id',
    [lift.contactId, lift.reason, now, lift.liftedBy, lift.occurredAt],
  );
  return rows.length > 0;
}

export type ActiveSuppression = { reason: SuppressionReason; scope: 'all' | 'marketing'; source: string; createdAt: Date; until: Date | null };

export async function listActiveSuppressions(db: Db, contactId: number, now: Date): Promise<ActiveSuppression[]> {
  const rows = await db.query<{ reason: SuppressionReason; scope: 'all' | 'marketing'; source: string; created_at: Date; until: Date | null }>(
    'select reason, scope, source, created_at, until from suppressions where contact_id = $1 and lifted_at is null and (until is null or until > $2) order by created_at',
    [contactId, now],
  );
  return rows.map((row) => ({ reason: row.reason, scope: row.scope, source: row.source, createdAt: row.created_at, until: row.until }));
}
