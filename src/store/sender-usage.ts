// SQL reads of what a sender and its portfolio used lately: messages sent per minute, and the
// portfolio's 24 h reach the messaging limit counts. For the senders API; nothing here writes.

import type { Db } from './db.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The contacts Greenlight holds in the portfolio's rolling 24 h set (messaging_limit_reach), i.e. what
 * decision step 8 compares with the limit. What it counts, honestly: contacts Greenlight messaged
 * outside a service window in the last 24 h, counted once each, when the send was reserved — a send
 * that then failed still counts until its 24 h pass, as it does for the dispatcher. What it misses:
 * messages other tools sent from the same portfolio, and everything sent while the limit was
 * unlimited (nothing is reserved then). The table has no WABA column: with senders of several
 * portfolios, this is their sum.
 */
export async function countPortfolioReach(db: Db, now: Date): Promise<number> {
  const [row] = await db.query<{ count: number }>('select count(*)::int as count from messaging_limit_reach where reached_at > $1', [new Date(now.getTime() - DAY_MS)]);
  return row?.count ?? 0;
}

/*
 * Messages of one sender whose request left at or after `since`: campaign messages through their
 * campaign (messages_campaign_sent_idx), inbox messages through the same index's null campaign_id
 * entries; there is no (sender_id, sent_at) index, and the campaign path keeps one from being needed.
 */
const senderSendsSql = `
select sent_at from messages where campaign_id in (select id from campaigns where sender_id = $1) and sent_at >= $2
union all
select sent_at from messages where campaign_id is null and sender_id = $1 and sent_at >= $2`;

export async function countSenderSendsSince(db: Db, senderId: number, since: Date): Promise<number> {
  const [row] = await db.query<{ count: number }>(`select count(*)::int as count from (${senderSendsSql}) sends`, [senderId, since]);
  return row?.count ?? 0;
}

/** Sends per calendar minute since `since` (minutes with none are absent). */
export async function listSenderSendsPerMinute(db: Db, senderId: number, since: Date): Promise<Array<{ minute: Date; sent: number }>> {
  const rows = await db.query<{ minute: Date; sent: number }>(
    `select date_trunc('minute', sent_at) as minute, count(*)::int as sent from (${senderSendsSql}) sends group by 1 order by 1`,
    [senderId, since],
  );
  return rows.map((row) => ({ minute: row.minute, sent: row.sent }));
}
