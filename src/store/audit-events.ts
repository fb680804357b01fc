// SQL for the audit log (audit_events, append-only by a trigger): who did what to which thing, and when.
// Ids only, never personal data, so the log outlives an erasure intact.

import type { Db } from './db.ts';

export type AuditActor = { type: 'api_token'; tokenId: number; label: string } | { type: 'cli' } | { type: 'system' };

export type AuditEventInput = { action: string; targetType: string; targetId: string | number | null; detail?: Record<string, unknown> };

export type AuditEvent = {
  id: number;
  occurredAt: Date;
  actor: { type: AuditActor['type']; tokenId: number | null; label: string };
  action: string;
  targetType: string;
  targetId: string | null;
  detail: Record<string, unknown>;
};

const actorLabel = (actor: AuditActor): string => (actor.type === 'api_token' ? actor.label : actor.type);

/** Appends one entry. $1..$8: when, actor type, token id, actor label, action, target type, target id, detail. */
export async function insertAuditEvent(db: Db, actor: AuditActor, event: AuditEventInput, now: Date): Promise<void> {
  await db.query(
    `insert into audit_events (occurred_at, actor_type, actor_token_id, actor_label, action, target_type, target_id, detail)
     values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)`,
    [now, actor.type, actor.type === 'api_token' ? actor.tokenId : null, actorLabel(actor).slice(0, 200), event.action, event.targetType, event.targetId === null ? null : String(event.targetId), JSON.stringify(event.detail ?? {})],
  );
}

/** Oldest first, keyset-paged by id (after = the last id seen), so a reader can follow the log as it grows. */
export async function listAuditEvents(db: Db, page: { afterId: number | null; limit: number }): Promise<AuditEvent[]> {
  const rows = await db.query<{ id: number; occurred_at: Date; actor_type: AuditActor['type']; actor_token_id: number | null; actor_label: string; action: string; target_type: string; target_id: string | null; detail: Record<string, unknown> }>(
    'select id, occurred_at, actor_type, actor_token_id, actor_label, action, target_type, target_id, detail from audit_events where id > $1 order by id limit $2',
    [page.afterId ?? 0, page.limit],
  );
  return rows.map((row) => ({
    id: row.id,
    occurredAt: row.occurred_at,
    actor: { type: row.actor_type, tokenId: row.actor_token_id, label: row.actor_label },
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    detail: row.detail,
  }));
}
