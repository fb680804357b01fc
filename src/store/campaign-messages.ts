// SQL for a campaign's messages: planned in one statement at launch, claimed by key range with SKIP
// LOCKED and a lease (`queued`), marked `sending` just before each request, outcomes written back in
// one statement per batch. After a crash, queued rows go back to the queue (never sent) and sending
// rows become `unknown` (the send may have reached Meta), reconciled from status webhooks.

import type { Db } from './db.ts';
import { audienceWhere, type ResolvedAudience } from './audience.ts';

/** The callback data a campaign message carries to Meta and back in its status webhooks. */
export const callbackDataFor = (messageId: number): string => `gl:${messageId}`;

export type PlannedVariant = { name: string | null; template: string; weight: number };

export type PlanInput = {
  campaignId: number;
  senderId: number;
  audience: ResolvedAudience;
  startsAt: Date;
  canarySize: number;
  variants: readonly PlannedVariant[];
};

/*
 * planCampaignMessages: one messages row per contact of the audience, in one INSERT … SELECT.
 * Order (and so id order, which claims follow): most engaged first — contacts who wrote in most in the
 * last 90 days — so the canary wave is the people likeliest to welcome the message (product.md, Guards).
 * The canary wave is due at the start; the rest waits (due 'infinity') until the canary passes.
 * A/B variants are assigned by a hash of (campaign, contact): stable across re-plans, independent of order.
 * The unique (campaign_id, contact_id) index makes a second plan of the same campaign fail, not duplicate.
 */
export async function planCampaignMessages(db: Db, input: PlanInput, now: Date): Promise<number> {
  const where = audienceWhere(input.audience, 8);
  // Without a canary there is no wave to choose, so no ranking and no sort: contacts in id order.
  const ranked = input.canarySize > 0
    ? `select c.id, row_number() over (order by coalesce(engaged.inbound, 0) desc, c.id) as position
       from contacts c
       left join (select contact_id, count(*) as inbound from inbound_messages where sent_at > $5::timestamptz - interval '90 days' group by contact_id) engaged
         on engaged.contact_id = c.id
       where ${where.sql}`
    : `select c.id, 0 as position from contacts c where ${where.sql}`;
  const sql = `
    insert into messages (sender_id, contact_id, status, campaign_id, dispatch_state, due_at, wave, variant, template_name, created_at, updated_at)
    select $2, ranked.id, 'planned', $1::bigint, 'planned',
      case when ranked.position <= $4 or $4 = 0 then $3::timestamptz else 'infinity'::timestamptz end,
      case when ranked.position <= $4 then 0 else 1 end,
      ${variantChoiceSql(input.variants, 'ranked.id', '$6')}, ${variantChoiceSql(input.variants, 'ranked.id', '$7')}, $5, $5
    from (${ranked}) ranked
    ${input.canarySize > 0 ? 'order by ranked.position' : ''}`;
  const names = JSON.stringify(input.variants.map((variant) => variant.name));
  const templates = JSON.stringify(input.variants.map((variant) => variant.template));
  const rows = await db.query<{ count: number }>(`with planned as (${sql} returning 1) select count(*)::int as count from planned`, [
    input.campaignId, input.senderId, input.startsAt, input.canarySize, now, names, templates, ...where.params,
  ]);
  return rows[0]?.count ?? 0;
}

/**
 * The SQL expression that picks a contact's A/B variant out of `choices` (a jsonb array parameter, one
 * entry per variant): a hash of (campaign, contact) — `$1` is the campaign id, `idSql` the contact id —
 * folded into [0, 1) and compared with the variants' cumulative weight shares. hashtext is Postgres's
 * own stable hash, so the split does not depend on order and the estimate reproduces launch's exactly.
 */
export function variantChoiceSql(variants: ReadonlyArray<{ weight: number }>, idSql: string, choices: string): string {
  if (variants.length === 1) return `${choices}::jsonb ->> 0`;
  const total = variants.reduce((sum, variant) => sum + variant.weight, 0);
  let cumulative = 0;
  const bounds = variants.map((variant) => (cumulative += variant.weight / total));
  const bucket = `((hashtext($1::bigint::text || ':' || ${idSql}::text) & 2147483647)::float8 / 2147483648.0)`;
  const cases = bounds.slice(0, -1).map((bound, index) => `when ${bucket} < ${bound.toFixed(6)} then ${choices}::jsonb ->> ${index}`);
  return `case ${cases.join(' ')} else ${choices}::jsonb ->> ${variants.length - 1} end`;
}

/** How many contacts an audience selects now (create and estimate show it before launch). */
export async function countAudience(db: Db, audience: ResolvedAudience): Promise<number> {
  const where = audienceWhere(audience, 1);
  const [row] = await db.query<{ count: number }>(`select count(*)::int as count from contacts c where ${where.sql}`, where.params);
  return row?.count ?? 0;
}

/** The ids of an audience's contacts after `afterId`, for the estimate, which runs the decision over each. */
export async function pageAudience(db: Db, audience: ResolvedAudience, afterId: number, limit: number): Promise<number[]> {
  const where = audienceWhere(audience, 3);
  const rows = await db.query<{ id: number }>(`select c.id from contacts c where c.id > $1 and ${where.sql} order by c.id limit $2`, [afterId, limit, ...where.params]);
  return rows.map((row) => row.id);
}

/** The canary passed: the rest of the audience becomes due now. */
export async function releaseAfterCanary(db: Db, campaignId: number, now: Date): Promise<number> {
  const rows = await db.query<{ count: number }>(
    `with released as (update messages set due_at = $2, updated_at = $2 where campaign_id = $1 and wave = 1 and dispatch_state = 'planned' and due_at = 'infinity' returning 1)
     select count(*)::int as count from released`,
    [campaignId, now],
  );
  return rows[0]?.count ?? 0;
}

/** `dueAt` is the due time the message was claimed at: with the id, the claim cursor. */
export type ClaimedMessage = { id: number; contactId: number; variant: string | null; templateName: string; attempts: number; wave: number; dueAt: Date };

/*
 * claimDueMessages: the next due messages of one campaign, taken for this worker. The partial index
 * messages_due_idx holds only planned and deferred rows — but an index keeps the entries of updated rows
 * until vacuum, so a scan from the start would step over every message claimed so far and slow down as
 * the campaign goes on. `after` (the last claimed due time and id) starts the scan past them: a claim by
 * key range. The dispatcher rewinds it when a claim finds nothing and at every supervision tick, so a
 * message given back to the queue with an earlier due time is not missed.
 * SKIP LOCKED lets workers claim side by side; the lease (and dispatch_state 'queued') keeps a claim
 * after the transaction ends, until the outcome is written or the lease expires (recoverExpiredLeases).
 * `as: 'sending'` claims a batch that goes out the moment it is decided (pacing off): one row write
 * fewer, at the price of a crash during the decision leaving the batch `unknown` rather than queued.
 */
export type ClaimCursor = { dueAt: Date; id: number };

/** Who holds a claim: the worker, and the claim's own token (several lanes of one worker never share one). */
export type Lease = { owner: string; token: number };

export async function claimDueMessages(db: Db, claim: { campaignId: number; lease: Lease; limit: number; leaseMs: number; as?: 'queued' | 'sending'; after?: ClaimCursor | null }, now: Date): Promise<ClaimedMessage[]> {
  if (claim.limit <= 0) return [];
  const after = claim.after ?? null;
  const rows = await db.query<{ id: number; contact_id: number; variant: string | null; template_name: string; attempts: number; wave: number; due_at: Date }>(
    `with due as (
       select id, due_at from messages where campaign_id = $1 and dispatch_state in ('planned', 'deferred') and due_at <= $2
         and ($7::timestamptz is null or (campaign_id, due_at, id) > ($1, $7::timestamptz, $8::bigint))
       order by due_at, id limit $3 for update skip locked)
     update messages m set dispatch_state = $6, lease_owner = $4, lease_token = $9, lease_until = $5, updated_at = $2
     from due where m.id = due.id
     returning m.id, m.contact_id, m.variant, m.template_name, m.attempts, m.wave, due.due_at`,
    [claim.campaignId, now, claim.limit, claim.lease.owner, new Date(now.getTime() + claim.leaseMs), claim.as ?? 'queued', after?.dueAt ?? null, after?.id ?? null, claim.lease.token],
  );
  return rows.map((row) => ({ id: row.id, contactId: row.contact_id, variant: row.variant, templateName: row.template_name, attempts: row.attempts, wave: row.wave, dueAt: row.due_at }));
}

/** Takes back `sending` marks of requests that never left (their slot passed): they are queued again. */
export async function unmarkSending(db: Db, lease: Lease, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await db.query(`update messages set dispatch_state = 'queued' where id = any($2::bigint[]) and lease_owner = $1 and lease_token = $3 and dispatch_state = 'sending'`, [lease.owner, ids, lease.token]);
}

/** Extends this worker's leases while a slow batch is still out (a paced batch waits for its slots). */
export async function renewLeases(db: Db, lease: Lease, ids: readonly number[], leaseMs: number, now: Date): Promise<void> {
  if (ids.length === 0) return;
  await db.query(`update messages set lease_until = $3 where id = any($2::bigint[]) and lease_owner = $1 and lease_token = $4 and dispatch_state in ('queued', 'sending')`, [lease.owner, ids, new Date(now.getTime() + leaseMs), lease.token]);
}

/*
 * markSending: the last write before the request leaves. From here a crash leaves the message
 * `unknown` rather than queued, because the request may reach Meta. Returns the ids this worker still
 * held: a message whose lease was lost (another worker recovered it) must not be sent.
 */
export async function markSending(db: Db, lease: Lease, ids: readonly number[], now: Date): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await db.query<{ id: number }>(
    `update messages set dispatch_state = 'sending', updated_at = $3 where id = any($2::bigint[]) and lease_owner = $1 and lease_token = $4 and dispatch_state = 'queued' returning id`,
    [lease.owner, ids, now, lease.token],
  );
  return new Set(rows.map((row) => row.id));
}

/** What became of one claimed message. Terminal states clear the lease; `deferred` and `planned` return it to the queue. */
export type MessageOutcome =
  | { id: number; state: 'sent'; wamid: string; status: 'accepted' | 'held'; sentAt: Date; via: 'template' | 'session'; language: string; category: string; costUsd: number; attempted: true }
  | { id: number; state: 'skipped'; reason: string; detail: string }
  | { id: number; state: 'deferred'; reason: string; detail: string; dueAt: Date; attempted: boolean }
  | { id: number; state: 'failed'; reason: string; detail: string; errorCode: number | null; attempted: boolean }
  | { id: number; state: 'unknown'; reason: string; detail: string; sentAt: Date; via: 'template' | 'session'; language: string; category: string; costUsd: number };

/*
 * writeOutcomes: every outcome of a batch in one UPDATE. Only rows this claim still leases are
 * written: a row another process recovered meanwhile keeps what that process decided — except that a
 * known answer (a wamid) always replaces `unknown`, because it is what really happened.
 */
export async function writeOutcomes(db: Db, lease: Lease, outcomes: readonly MessageOutcome[], now: Date): Promise<number> {
  if (outcomes.length === 0) return 0;
  const rows = outcomes.map((outcome) => ({
    id: outcome.id,
    state: outcome.state,
    wamid: outcome.state === 'sent' ? outcome.wamid : null,
    status: outcome.state === 'sent' ? outcome.status : outcome.state === 'failed' && outcome.attempted ? 'failed' : null,
    sent_at: outcome.state === 'sent' || outcome.state === 'unknown' ? outcome.sentAt.toISOString() : null,
    via: outcome.state === 'sent' || outcome.state === 'unknown' ? outcome.via : null,
    language: outcome.state === 'sent' || outcome.state === 'unknown' ? outcome.language : null,
    category: outcome.state === 'sent' || outcome.state === 'unknown' ? outcome.category : null,
    cost_usd: outcome.state === 'sent' || outcome.state === 'unknown' ? outcome.costUsd : null,
    reason: outcome.state === 'sent' ? null : outcome.reason,
    detail: outcome.state === 'sent' ? null : outcome.detail,
    due_at: outcome.state === 'deferred' ? outcome.dueAt.toISOString() : null,
    error_code: outcome.state === 'failed' ? outcome.errorCode : null,
    attempted: outcome.state === 'sent' || outcome.state === 'unknown' || ('attempted' in outcome && outcome.attempted),
  }));
  const updated = await db.query<{ id: number }>(
    `update messages m set
       dispatch_state = r.state,
       wamid = coalesce(r.wamid, m.wamid),
       status = coalesce(r.status, m.status),
       sent_at = coalesce(r.sent_at, m.sent_at),
       via = coalesce(r.via, m.via), language = coalesce(r.language, m.language), category = coalesce(r.category, m.category),
       cost_usd = coalesce(r.cost_usd, m.cost_usd),
       reason = r.reason, detail = r.detail,
       due_at = coalesce(r.due_at, m.due_at),
       error_code = coalesce(r.error_code, m.error_code),
       attempts = m.attempts + case when r.attempted then 1 else 0 end,
       -- lease_owner stays: which worker sent the message is worth knowing afterwards.
       lease_until = null, updated_at = $3
     from jsonb_to_recordset($1::jsonb) as r(id bigint, state text, wamid text, status text, sent_at timestamptz, via text, language text,
       category text, cost_usd numeric, reason text, detail text, due_at timestamptz, error_code integer, attempted boolean)
     where m.id = r.id and m.lease_owner = $2 and m.lease_token = $4 and (m.dispatch_state in ('queued', 'sending') or (m.dispatch_state = 'unknown' and r.state = 'sent'))
     returning m.id`,
    [JSON.stringify(rows), lease.owner, now, lease.token],
  );
  return updated.length;
}

/*
 * recoverExpiredLeases: a leased row whose lease ran out belongs to a worker that died (or stalled past
 * its lease). A `queued` one was never handed to Meta: it goes back to the queue. A `sending` one may
 * have reached Meta, and Meta's send has no idempotency key, so it is never resent: it becomes
 * `unknown` and waits for a status webhook to say what happened.
 */
export async function recoverExpiredLeases(db: Db, now: Date): Promise<{ requeued: number; unknown: number }> {
  const rows = await db.query<{ requeued: number; unknown: number }>(
    `with recovered as (
       update messages set
         dispatch_state = case when dispatch_state = 'queued' then 'planned' else 'unknown' end,
         reason = case when dispatch_state = 'queued' then reason else 'send_outcome_unknown' end,
         detail = case when dispatch_state = 'queued' then detail
           else 'the worker sending this message stopped before recording Meta''s answer; it is not resent, and a status webhook will settle it' end,
         sent_at = case when dispatch_state = 'queued' then sent_at else coalesce(sent_at, lease_until) end,
         lease_owner = case when dispatch_state = 'queued' then null else lease_owner end,
         lease_until = case when dispatch_state = 'queued' then null else lease_until end,
         updated_at = $1
       where dispatch_state in ('queued', 'sending') and lease_until < $1
       returning dispatch_state)
     select count(*) filter (where dispatch_state = 'planned')::int as requeued, count(*) filter (where dispatch_state = 'unknown')::int as unknown from recovered`,
    [now],
  );
  return { requeued: rows[0]?.requeued ?? 0, unknown: rows[0]?.unknown ?? 0 };
}

/*
 * releaseLeases: what recoverExpiredLeases does for a dead worker, done by a stopping one for itself at
 * once, so another worker takes its messages now rather than when the lease runs out: `queued` goes
 * back to the queue; `sending` (a request may have left) becomes `unknown`, never resent. Reads the
 * in-flight rows through messages_leased_idx (few: a batch or two per worker), then filters by owner.
 * EVERY_OWNER releases every lease: only for a process that knows no other can hold one (the embedded
 * database after a crash: its directory lock admits one process, so every lease is a dead one's).
 */
export const EVERY_OWNER = Symbol('every lease owner');
export type EveryOwner = typeof EVERY_OWNER;

export async function releaseLeases(db: Db, owner: string | EveryOwner, now: Date): Promise<{ requeued: number; unknown: number }> {
  const rows = await db.query<{ requeued: number; unknown: number }>(
    `with released as (
       update messages set
         dispatch_state = case when dispatch_state = 'queued' then 'planned' else 'unknown' end,
         reason = case when dispatch_state = 'queued' then reason else 'send_outcome_unknown' end,
         detail = case when dispatch_state = 'queued' then detail
           else 'the worker sending this message stopped before recording Meta''s answer; it is not resent, and a status webhook will settle it' end,
         sent_at = case when dispatch_state = 'queued' then sent_at else coalesce(sent_at, $2) end,
         lease_owner = case when dispatch_state = 'queued' then null else lease_owner end,
         lease_until = null,
         updated_at = $2
       where dispatch_state in ('queued', 'sending') and ($1::text is null or lease_owner = $1)
       returning dispatch_state)
     select count(*) filter (where dispatch_state = 'planned')::int as requeued, count(*) filter (where dispatch_state = 'unknown')::int as unknown from released`,
    [owner === EVERY_OWNER ? null : owner, now],
  );
  return { requeued: rows[0]?.requeued ?? 0, unknown: rows[0]?.unknown ?? 0 };
}

/*
 * reconcileUnknownMessages: an unknown message that Meta did accept has status webhooks carrying its
 * callback data (gl:{id}); they give it its wamid and make it `sent`. Returns the wamids found, for
 * the status merge.
 */
export async function reconcileUnknownMessages(db: Db, now: Date): Promise<string[]> {
  const rows = await db.query<{ wamid: string }>(
    `update messages m set wamid = e.wamid, dispatch_state = 'sent', reason = null,
       detail = 'reconciled from a status webhook after the worker stopped', updated_at = $1
     from (select distinct on (biz_opaque_callback_data) biz_opaque_callback_data, wamid from message_status_events
           where biz_opaque_callback_data like 'gl:%' order by biz_opaque_callback_data, occurred_at) e
     where m.dispatch_state = 'unknown' and m.wamid is null and e.biz_opaque_callback_data = 'gl:' || m.id::text
       and not exists (select 1 from messages other where other.wamid = e.wamid)
     returning m.wamid`,
    [now],
  );
  return rows.map((row) => row.wamid);
}

/** Cancelling: every message not yet sent stops, with the reason. Sent ones keep their outcome. */
export async function cancelPendingMessages(db: Db, campaignId: number, now: Date): Promise<number> {
  const rows = await db.query<{ count: number }>(
    `with cancelled as (
       update messages set dispatch_state = 'cancelled', reason = 'campaign_cancelled', detail = 'the campaign was cancelled before this message was sent', updated_at = $2
       where campaign_id = $1 and dispatch_state in ('planned', 'deferred') returning 1)
     select count(*)::int as count from cancelled`,
    [campaignId, now],
  );
  return rows[0]?.count ?? 0;
}

/** Whether anything of the campaign is still to send or in flight (a running campaign completes when not). */
export async function hasUnfinishedMessages(db: Db, campaignId: number): Promise<boolean> {
  const rows = await db.query(
    `select 1 from messages where campaign_id = $1 and dispatch_state in ('planned', 'deferred') limit 1`,
    [campaignId],
  );
  if (rows.length > 0) return true;
  const inFlight = await db.query(`select 1 from messages where dispatch_state in ('queued', 'sending') and campaign_id = $1 limit 1`, [campaignId]);
  return inFlight.length > 0;
}

export async function findLastSentAt(db: Db, campaignId: number): Promise<Date | null> {
  const [row] = await db.query<{ last: Date | null }>(`select max(sent_at) as last from messages where campaign_id = $1 and dispatch_state in ('sent', 'unknown')`, [campaignId]);
  return row?.last ?? null;
}

/** The next moment something of the campaign becomes due (a deferred message), for the dispatcher's sleep and the status line. */
export async function findNextDueAt(db: Db, campaignId: number): Promise<Date | null> {
  const [row] = await db.query<{ due_at: Date | null }>(
    `select due_at from messages where campaign_id = $1 and dispatch_state in ('planned', 'deferred') and due_at < 'infinity' order by due_at limit 1`,
    [campaignId],
  );
  return row?.due_at ?? null;
}

/** The canary wave's progress: how many are still to go, and when its last message reached Meta. */
export async function canaryWaveState(db: Db, campaignId: number): Promise<{ pending: number; sent: number; settledAt: Date | null }> {
  const [row] = await db.query<{ pending: number; sent: number; settled_at: Date | null }>(
    `select count(*) filter (where dispatch_state in ('planned', 'deferred', 'queued', 'sending'))::int as pending,
            count(*) filter (where dispatch_state in ('sent', 'unknown'))::int as sent,
            max(sent_at) as settled_at
     from messages where campaign_id = $1 and wave = 0`,
    [campaignId],
  );
  return { pending: row?.pending ?? 0, sent: row?.sent ?? 0, settledAt: row?.settled_at ?? null };
}

/**
 * Messages sent and their bad outcomes over a window: the input of the campaign's own breakers. At most
 * the latest `limit` sends of the window are looked at (messages_campaign_sent_idx, newest first): a
 * rate is judged as well on 2,000 recent sends as on a million, and the check runs every second.
 */
export async function campaignWindowCounts(db: Db, campaignId: number, since: Date, wave: number | null, limit = 2000): Promise<{ sent: number; optedOut: number; failed: number; blockSignals: number }> {
  const [row] = await db.query<{ sent: number; opted_out: number; failed: number; block_signals: number }>(
    `with recent as (
       select m.contact_id, m.sent_at, m.status from messages m
       where m.campaign_id = $1 and m.sent_at is not null and m.sent_at >= $2 and m.dispatch_state in ('sent', 'unknown') and ($3::int is null or m.wave = $3)
       order by m.sent_at desc limit $4)
     select count(*)::int as sent,
       count(*) filter (where exists (
         select 1 from consent_events e where e.contact_id = recent.contact_id and e.kind = 'opt_out' and e.occurred_at >= recent.sent_at))::int as opted_out,
       count(*) filter (where recent.status = 'failed')::int as failed,
       count(*) filter (where exists (
         select 1 from suppressions s where s.contact_id = recent.contact_id and s.reason in ('marketing_stopped', 'blocked') and s.occurred_at >= recent.sent_at))::int as block_signals
     from recent`,
    [campaignId, since, wave, limit],
  );
  return { sent: row?.sent ?? 0, optedOut: row?.opted_out ?? 0, failed: row?.failed ?? 0, blockSignals: row?.block_signals ?? 0 };
}

/** Estimated cost of what the campaign sent (or may have), for its budget (decision step 11). */
export async function campaignSpentUsd(db: Db, campaignId: number): Promise<number> {
  const [row] = await db.query<{ usd: number | null }>(`select sum(cost_usd) as usd from messages where campaign_id = $1 and dispatch_state in ('sent', 'unknown')`, [campaignId]);
  return Number(row?.usd ?? 0);
}

export type DispatchCounts = Record<'planned' | 'deferred' | 'queued' | 'sending' | 'sent' | 'skipped' | 'failed' | 'unknown' | 'cancelled', number>;

/** How many of the campaign's messages are in each dispatch state (status and progress bars). */
export async function countMessagesByState(db: Db, campaignId: number): Promise<DispatchCounts> {
  const rows = await db.query<{ dispatch_state: keyof DispatchCounts; count: number }>('select dispatch_state, count(*)::int as count from messages where campaign_id = $1 group by dispatch_state', [campaignId]);
  const counts: DispatchCounts = { planned: 0, deferred: 0, queued: 0, sending: 0, sent: 0, skipped: 0, failed: 0, unknown: 0, cancelled: 0 };
  for (const row of rows) counts[row.dispatch_state] = row.count;
  return counts;
}

/*
 * replanAfterMarketingCap: Meta accepted a campaign message and then failed it with 131049 (its per-user
 * marketing cap, §8.3). Nothing reached the person, so trying again is no duplicate — but not before
 * 24 h, and at most `maxAttempts` sends in all. The failed wamid stays in message_status_events; the
 * row waits for its next send. Only while the campaign can still send; returns whether it was re-planned.
 */
export async function replanAfterMarketingCap(db: Db, wamid: string, dueAt: Date, maxAttempts: number, now: Date): Promise<boolean> {
  const rows = await db.query(
    `update messages m set dispatch_state = 'deferred', due_at = $2, reason = 'marketing_cap',
       detail = 'Meta held the message for its per-user marketing cap (131049, ' || m.wamid || '); tried again after 24 h',
       wamid = null, status = 'planned', status_at = null, error_code = null, error_title = null, error_details = null,
       sent_at = null, cost_usd = null, lease_until = null, updated_at = $4
     from campaigns c
     where m.wamid = $1 and c.id = m.campaign_id and c.state in ('scheduled', 'running', 'paused')
       and m.dispatch_state = 'sent' and m.attempts < $3
     returning m.id`,
    [wamid, dueAt, maxAttempts, now],
  );
  return rows.length > 0;
}
