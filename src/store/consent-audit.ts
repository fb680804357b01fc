// An after-the-fact audit of consent: campaign messages that went out although, when they were sent,
// Greenlight already knew the person had opted out of that category. The dispatcher re-decides every
// message right before sending, so this must always be zero; the demo and the report show it anyway,
// because "we never message people who said stop" is a claim worth checking against the ledger.

import type { Db } from './db.ts';

/** Campaign messages sent while the latest consent event known at send time (recorded before it) was an opt-out. */
export async function countCampaignSendsAfterOptOut(db: Db, campaignIds: readonly number[]): Promise<number> {
  const [row] = await db.query<{ count: number }>(
    `select count(*)::int8 as count
     from messages m
     cross join lateral (
       select e.kind from consent_events e
       where e.contact_id = m.contact_id and e.category = lower(m.category) and e.recorded_at <= m.sent_at
       order by e.occurred_at desc, (e.kind = 'opt_out') desc limit 1
     ) latest
     where m.campaign_id = any($1::int8[]) and m.sent_at is not null and m.dispatch_state in ('sent', 'unknown') and latest.kind = 'opt_out'`,
    [campaignIds],
  );
  return row?.count ?? 0;
}
