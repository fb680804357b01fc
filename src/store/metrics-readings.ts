// The SQL behind /metrics: what the whole deployment did (serve and every worker write to the same
// database), read cheaply enough to run on every Prometheus scrape with a million campaign messages.
// Each statement names the index it leans on (migrations 0002 and 0004). Reads only; no personal data.

import type { Db } from './db.ts';

export type CampaignStateCount = { state: string; count: number };

/** How many campaigns are in each state. campaigns is small (one row per campaign), so a plain scan. */
export async function listCampaignStateCounts(db: Db): Promise<CampaignStateCount[]> {
  return db.query<CampaignStateCount>('select state, count(*)::int as count from campaigns group by state order by state');
}

export type CountableCampaign = { id: number; finished: boolean };

/** The campaigns that have messages (every one but drafts); `finished`: completed or cancelled, so its counts settle. */
export async function listCountableCampaigns(db: Db): Promise<CountableCampaign[]> {
  return db.query<CountableCampaign>(`select id::int as id, state in ('completed', 'cancelled') as finished from campaigns where state <> 'draft' order by id`);
}

export type CampaignMessageCount = { campaignId: number; state: string; count: number };

/*
 * listCampaignMessageCounts: how many of these campaigns' messages are in each dispatch state. The
 * expensive reading (every row of the campaigns asked for, through messages_campaign_contact_idx), so
 * the caller asks only for the campaigns whose counts can still change and remembers the rest.
 */
export async function listCampaignMessageCounts(db: Db, campaignIds: readonly number[]): Promise<CampaignMessageCount[]> {
  if (campaignIds.length === 0) return [];
  return db.query<CampaignMessageCount>(
    `select campaign_id::int as "campaignId", dispatch_state as state, count(*)::int as count
     from messages where campaign_id = any($1::bigint[]) group by campaign_id, dispatch_state`,
    [campaignIds],
  );
}

export type QueueDepth = { campaignId: number; due: number };

/*
 * listQueueDepths: messages of running campaigns that are due now and not yet claimed — the work in
 * front of the dispatchers. Paused and scheduled campaigns are left out: nobody will send theirs until a
 * person or the clock acts. Reads the claim index messages_due_idx, which holds only planned and
 * deferred rows, so the cost is the backlog, not the campaign's size.
 */
export async function listQueueDepths(db: Db, now: Date): Promise<QueueDepth[]> {
  return db.query<QueueDepth>(
    `select c.id::int as "campaignId", coalesce(due.count, 0)::int as due
     from campaigns c
     left join lateral (
       select count(*) as count from messages m
       where m.campaign_id = c.id and m.dispatch_state in ('planned', 'deferred') and m.due_at <= $1) due on true
     where c.state = 'running'
     order by c.id`,
    [now],
  );
}

export type SenderRate = { phoneNumberId: string; sent: number };

/*
 * listSenderSendsSince: messages each sender handed to Meta since `since` (sent_at is when the request
 * left). No index has sent_at first, so each piece uses messages_campaign_sent_idx (campaign_id, sent_at)
 * by campaign: the campaigns that can have sent lately (unfinished ones, or finished since `since`), plus
 * the messages outside campaigns (campaign_id null). Every sender appears, with 0 when idle.
 */
export async function listSenderSendsSince(db: Db, since: Date): Promise<SenderRate[]> {
  return db.query<SenderRate>(
    `with recent as (
       select m.sender_id from campaigns c
       join lateral (select sender_id from messages m where m.campaign_id = c.id and m.sent_at >= $1) m on true
       where c.state in ('scheduled', 'running', 'paused') or c.finished_at >= $1
       union all
       select sender_id from messages where campaign_id is null and sent_at >= $1)
     select s.phone_number_id as "phoneNumberId", count(recent.sender_id)::int as sent
     from senders s left join recent on recent.sender_id = s.id
     group by s.phone_number_id order by s.phone_number_id`,
    [since],
  );
}

export type WebhookBacklog = { pending: number; oldestReceivedAt: Date | null };

/**
 * Unprocessed webhooks and when the oldest arrived (webhook_events_pending_idx holds only those; ids
 * follow arrival). A webhook waiting for its retry counts too: it is applied late all the same.
 */
export async function findWebhookBacklog(db: Db): Promise<WebhookBacklog> {
  const [row] = await db.query<{ pending: number; oldest: Date | null }>(
    `select (select count(*)::int from webhook_events where processed_at is null) as pending,
            (select received_at from webhook_events where processed_at is null order by id limit 1) as oldest`,
  );
  return { pending: row?.pending ?? 0, oldestReceivedAt: row?.oldest ?? null };
}

/*
 * findRecentWebhookDelay: the slowest time from arrival to applied among the latest `limit` webhooks
 * (the primary key, newest first: webhook_events only grows, so never a scan of all of it). Seconds;
 * null when none of them was processed yet.
 */
export async function findRecentWebhookDelay(db: Db, limit = 1000): Promise<number | null> {
  const [row] = await db.query<{ seconds: number | null }>(
    `select extract(epoch from max(processed_at - received_at))::float8 as seconds
     from (select received_at, processed_at from webhook_events order by id desc limit $1) latest
     where processed_at is not null`,
    [limit],
  );
  return row?.seconds ?? null;
}

export type PauseCount = { reason: string; count: number };

/**
 * Every campaign pause ever recorded, by reason (manual, canary, breaker, budget): campaign_events is
 * append-only, so these only grow. A handful of events per campaign, so a plain scan.
 */
export async function listCampaignPauseCounts(db: Db): Promise<PauseCount[]> {
  return db.query<PauseCount>(
    `select substr(kind, length('paused_') + 1) as reason, count(*)::int as count
     from campaign_events where kind like 'paused\\_%' group by kind order by kind`,
  );
}
