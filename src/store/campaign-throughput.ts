// SQL for a campaign's throughput over time: sends and failures per bucket of N seconds, for the
// dashboard's live chart. One GROUP BY over the campaign's rows; reads only.

import type { Db } from './db.ts';

export type ThroughputPoint = { at: Date; sent: number; failed: number };

/*
 * listCampaignThroughput: `sent` counts messages handed to Meta (dispatch_state sent or unknown: an
 * unknown one may have gone out) by `sent_at`; `failed` counts failures, the same two kinds as the report
 * (store/campaign-report.ts campaignOutcomeReasons): refused at the send (dispatch_state failed) and
 * failed by Meta after it accepted (status failed), at the moment the failure was recorded. Buckets with
 * neither are left out. Parameters: $1 campaign id, $2 bucket width in seconds.
 * Index: messages_campaign_sent_idx (campaign_id, sent_at) for the sends, messages_campaign_contact_idx
 * for the failures.
 */
export async function listCampaignThroughput(db: Db, campaignId: number, bucketSeconds: number): Promise<ThroughputPoint[]> {
  const rows = await db.query<{ at: Date; sent: number; failed: number }>(
    `with outcomes as (
       select sent_at as at, 1 as sent, 0 as failed from messages
       where campaign_id = $1 and sent_at is not null and dispatch_state in ('sent', 'unknown')
       union all
       select coalesce(status_at, updated_at) as at, 0 as sent, 1 as failed from messages
       where campaign_id = $1 and (dispatch_state = 'failed' or (dispatch_state = 'sent' and status = 'failed'))
     )
     select to_timestamp((floor(extract(epoch from at) / $2::int) * $2::int)::float8) as at, sum(sent)::int as sent, sum(failed)::int as failed
     from outcomes group by 1 order by 1`,
    [campaignId, bucketSeconds],
  );
  return rows.map((row) => ({ at: row.at, sent: row.sent, failed: row.failed }));
}
