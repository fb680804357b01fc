// SQL for what Meta says about a WhatsApp Business Account: its messaging limit (portfolio level),
// restrictions and bans, and the history of account_update / account_alerts events.

import type { Db } from './db.ts';

export type WabaStateChange = { messagingLimitTier?: string; messagingLimitUsers?: number | null; restrictions?: unknown[]; banState?: string | null };

export async function upsertWabaState(db: Db, wabaId: string, change: WabaStateChange, now: Date): Promise<void> {
  await db.query(
    `insert into waba_states (waba_id, messaging_limit_tier, messaging_limit_users, restrictions, ban_state, updated_at)
     values ($1, $2, $3, coalesce($4::jsonb, '[]'::jsonb), $5, $6)
     on conflict (waba_id) do update set
       messaging_limit_tier = case when $7 then excluded.messaging_limit_tier else waba_states.messaging_limit_tier end,
       messaging_limit_users = case when $7 then excluded.messaging_limit_users else waba_states.messaging_limit_users end,
       restrictions = case when $8 then excluded.restrictions else waba_states.restrictions end,
       ban_state = case when $9 then excluded.ban_state else waba_states.ban_state end,
       updated_at = excluded.updated_at`,
    [wabaId, change.messagingLimitTier ?? null, change.messagingLimitUsers ?? null, change.restrictions ? JSON.stringify(change.restrictions) : null, change.banState ?? null, now, change.messagingLimitTier !== undefined, change.restrictions !== undefined, change.banState !== undefined],
  );
}

export type WabaState = { wabaId: string; messagingLimitTier: string | null; messagingLimitUsers: number | null; restrictions: unknown[]; banState: string | null; updatedAt: Date };

export async function findWabaState(db: Db, wabaId: string): Promise<WabaState | null> {
  const [row] = await db.query<{ waba_id: string; messaging_limit_tier: string | null; messaging_limit_users: number | null; restrictions: unknown[]; ban_state: string | null; updated_at: Date }>('select * from waba_states where waba_id = $1', [wabaId]);
  return row ? { wabaId: row.waba_id, messagingLimitTier: row.messaging_limit_tier, messagingLimitUsers: row.messaging_limit_users, restrictions: row.restrictions, banState: row.ban_state, updatedAt: row.updated_at } : null;
}

export async function insertAccountEvent(db: Db, event: { wabaId: string; kind: 'account_update' | 'account_alert'; summary: string; payload: unknown; occurredAt: Date }, now: Date): Promise<void> {
  await db.query('insert into account_events (waba_id, kind, summary, payload, occurred_at, recorded_at) values ($1, $2, $3, $4, $5, $6)', [event.wabaId, event.kind, event.summary, JSON.stringify(event.payload), event.occurredAt, now]);
}
