// SQL for the shared per-sender pace: each sender's next free slot, reserved in blocks by every
// dispatcher process with one UPDATE (a generic cell rate algorithm in the database), so the sender's
// rate holds across processes and machines without a coordinator.

import type { Db } from './db.ts';

/*
 * reserveSlots: `count` consecutive slots `intervalMs` apart, starting at the sender's next free slot,
 * which never lies in the past (no burst saved up while idle) nor before a throttling back-off. Returns
 * the first slot; the caller sends its i-th message at start + i × interval. Slots handed to different
 * workers never overlap, so in any second the sender sends at most 1000 / intervalMs messages.
 */
export async function reserveSlots(db: Db, senderId: number, count: number, intervalMs: number, now: Date): Promise<Date> {
  const [row] = await db.query<{ start: Date }>(
    `insert into sender_pacing as p (sender_id, next_slot_at) values ($1, $2::timestamptz + ($3::float8 * $4::float8) * interval '1 millisecond')
     on conflict (sender_id) do update set
       next_slot_at = greatest(p.next_slot_at, $2::timestamptz, coalesce(p.backoff_until, $2::timestamptz)) + ($3::float8 * $4::float8) * interval '1 millisecond'
     returning next_slot_at - ($3::float8 * $4::float8) * interval '1 millisecond' as start`,
    [senderId, now, count, intervalMs],
  );
  if (!row) throw new Error('sender_pacing returned no row');
  return row.start;
}

/** 130429: Meta says the sender is over its throughput; every worker's next slot moves past `until`. */
export async function backOffSender(db: Db, senderId: number, until: Date): Promise<void> {
  await db.query(
    `insert into sender_pacing as p (sender_id, next_slot_at, backoff_until, throttle_hits) values ($1, $2, $2, 1)
     on conflict (sender_id) do update set backoff_until = greatest(coalesce(p.backoff_until, $2), $2), throttle_hits = p.throttle_hits + 1`,
    [senderId, until],
  );
}
