// SQL for campaigns: the row, its state changes (each conditional on the state it leaves, so two
// processes never both apply one) and its history.

import type { CampaignSpec } from '../domain/campaign-spec.ts';
import type { CampaignState, Pause, PauseReason } from '../domain/campaign-state.ts';
import type { Db } from './db.ts';

export type Campaign = {
  id: number;
  name: string;
  senderId: number;
  templateName: string;
  spec: CampaignSpec;
  state: CampaignState;
  pauseReason: PauseReason | null;
  pauseDetail: string | null;
  pauseAction: string | null;
  startsAt: Date | null;
  launchedAt: Date | null;
  finishedAt: Date | null;
  recipients: number;
  canarySize: number;
  canaryPassedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
};

type CampaignRow = {
  id: number; name: string; sender_id: number; template_name: string; spec: CampaignSpec; state: CampaignState;
  pause_reason: PauseReason | null; pause_detail: string | null; pause_action: string | null; starts_at: Date | null;
  launched_at: Date | null; finished_at: Date | null; recipients: number; canary_size: number; canary_passed_at: Date | null;
  created_at: Date; updated_at: Date;
};

function toCampaign(row: CampaignRow): Campaign {
  return {
    id: row.id, name: row.name, senderId: row.sender_id, templateName: row.template_name, spec: row.spec, state: row.state,
    pauseReason: row.pause_reason, pauseDetail: row.pause_detail, pauseAction: row.pause_action, startsAt: row.starts_at,
    launchedAt: row.launched_at, finishedAt: row.finished_at, recipients: row.recipients, canarySize: row.canary_size,
    canaryPassedAt: row.canary_passed_at, createdAt: row.created_at, updatedAt: row.updated_at,
  };
}

export async function insertCampaign(db: Db, campaign: { name: string; senderId: number; spec: CampaignSpec; startsAt: Date | null }, now: Date): Promise<Campaign> {
  const [row] = await db.query<CampaignRow>(
    `insert into campaigns (name, sender_id, template_name, spec, state, starts_at, created_at, updated_at)
     values ($1, $2, $3, $4, 'draft', $5, $6, $6) returning *`,
    [campaign.name, campaign.senderId, campaign.spec.template, JSON.stringify(campaign.spec), campaign.startsAt, now],
  );
  if (!row) throw new Error('insert into campaigns returned no row');
  await recordCampaignEvent(db, row.id, 'created', `created "${campaign.name}"`, now);
  return toCampaign(row);
}

export async function findCampaign(db: Db, id: number): Promise<Campaign | null> {
  const [row] = await db.query<CampaignRow>('select * from campaigns where id = $1', [id]);
  return row ? toCampaign(row) : null;
}

export async function listCampaigns(db: Db, filter: { states?: readonly CampaignState[] } = {}): Promise<Campaign[]> {
  const rows = await db.query<CampaignRow>('select * from campaigns where ($1::text[] is null or state = any($1::text[])) order by id', [filter.states ?? null]);
  return rows.map(toCampaign);
}

export type Transition = { from: readonly CampaignState[]; to: CampaignState; pause?: Pause | null; event: { kind: string; detail: string }; set?: { launchedAt?: Date; recipients?: number; canarySize?: number; canaryPassedAt?: Date; finishedAt?: Date } };

/**
 * Moves a campaign only if it is still in one of `from`: a breaker pausing a campaign a person just
 * cancelled changes nothing. Returns the campaign as it is now, or null when the state did not match.
 */
export async function transitionCampaign(db: Db, id: number, transition: Transition, now: Date): Promise<Campaign | null> {
  const pause = transition.to === 'paused' ? (transition.pause ?? null) : null;
  const set = transition.set ?? {};
  const [row] = await db.query<CampaignRow>(
    `update campaigns set state = $3, pause_reason = $4, pause_detail = $5, pause_action = $6,
       launched_at = coalesce($7, launched_at), recipients = coalesce($8, recipients), canary_size = coalesce($9, canary_size),
       canary_passed_at = coalesce($10, canary_passed_at), finished_at = coalesce($11, finished_at), updated_at = $12
     where id = $1 and state = any($2::text[]) returning *`,
    [id, transition.from, transition.to, pause?.reason ?? null, pause?.detail ?? null, pause?.action ?? null, set.launchedAt ?? null, set.recipients ?? null, set.canarySize ?? null, set.canaryPassedAt ?? null, set.finishedAt ?? null, now],
  );
  if (!row) return null;
  await recordCampaignEvent(db, id, transition.event.kind, transition.event.detail, now);
  return toCampaign(row);
}

export async function markCanaryPassed(db: Db, id: number, detail: string, now: Date): Promise<boolean> {
  const rows = await db.query('update campaigns set canary_passed_at = $2, updated_at = $2 where id = $1 and canary_passed_at is null returning id', [id, now]);
  if (rows.length > 0) await recordCampaignEvent(db, id, 'canary_passed', detail, now);
  return rows.length > 0;
}

export async function recordCampaignEvent(db: Db, campaignId: number, kind: string, detail: string, now: Date): Promise<void> {
  await db.query('insert into campaign_events (campaign_id, occurred_at, kind, detail) values ($1, $2, $3, $4)', [campaignId, now, kind, detail]);
}

export type CampaignEvent = { occurredAt: Date; kind: string; detail: string };

export async function listCampaignEvents(db: Db, campaignId: number): Promise<CampaignEvent[]> {
  const rows = await db.query<{ occurred_at: Date; kind: string; detail: string }>('select occurred_at, kind, detail from campaign_events where campaign_id = $1 order by occurred_at, id', [campaignId]);
  return rows.map((row) => ({ occurredAt: row.occurred_at, kind: row.kind, detail: row.detail }));
}

export async function saveSegment(db: Db, name: string, audience: unknown, now: Date): Promise<void> {
  await db.query('insert into segments (name, audience, created_at) values ($1, $2, $3) on conflict (name) do update set audience = excluded.audience', [name, JSON.stringify(audience), now]);
}

export async function findSegment(db: Db, name: string): Promise<unknown> {
  const [row] = await db.query<{ audience: unknown }>('select audience from segments where name = $1', [name]);
  return row?.audience ?? null;
}

export async function updateCampaignSpec(db: Db, id: number, spec: CampaignSpec, now: Date): Promise<void> {
  await db.query('update campaigns set spec = $2, updated_at = $3 where id = $1', [id, JSON.stringify(spec), now]);
  await recordCampaignEvent(db, id, 'spec_changed', 'the campaign document was changed', now);
}
