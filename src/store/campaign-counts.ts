// SQL for the campaign list: every listed campaign's messages by dispatch state in one GROUP BY, so the
// list costs one statement however many campaigns it shows. Reads only.

import type { DispatchCounts } from './campaign-messages.ts';
import type { Db } from './db.ts';

const noMessages = (): DispatchCounts => ({ planned: 0, deferred: 0, queued: 0, sending: 0, sent: 0, skipped: 0, failed: 0, unknown: 0, cancelled: 0 });

/** Counts per campaign id, as countMessagesByState gives for one; a campaign without messages (a draft) has all zeros. */
export async function listDispatchCounts(db: Db, campaignIds: readonly number[]): Promise<Map<number, DispatchCounts>> {
  const counts = new Map(campaignIds.map((id) => [id, noMessages()]));
  if (campaignIds.length === 0) return counts;
  const rows = await db.query<{ campaign_id: number; dispatch_state: keyof DispatchCounts; count: number }>(
    'select campaign_id, dispatch_state, count(*)::int as count from messages where campaign_id = any($1::bigint[]) group by campaign_id, dispatch_state',
    [campaignIds],
  );
  for (const row of rows) {
    const campaign = counts.get(row.campaign_id);
    if (campaign) campaign[row.dispatch_state] = row.count;
  }
  return counts;
}
