// The dispatcher's supervision tick: starts scheduled campaigns, recovers crashed leases, reconciles
// unknown sends from status webhooks, trips the breakers (template, sender, account, the campaign's own
// rates), judges the canary wave, and completes campaigns with nothing left. Idempotent: every worker
// runs it, and every state change is conditional on the state it leaves.

import { decideCanary, evaluateCampaignGuards } from '../domain/campaign-guards.ts';
import { guardThresholdsOf } from '../domain/campaign-spec.ts';
import type { Pause } from '../domain/campaign-state.ts';
import { findWabaState } from '../store/account-signals.ts';
import { insertAuditEvent, type AuditActor } from '../store/audit-events.ts';
import { campaignWindowCounts, canaryWaveState, findLastSentAt, hasUnfinishedMessages, reconcileUnknownMessages, recoverExpiredLeases, releaseAfterCanary } from '../store/campaign-messages.ts';
import { listCampaignEvents, listCampaigns, markCanaryPassed, transitionCampaign, type Campaign } from '../store/campaigns.ts';
import type { Db } from '../store/db.ts';
import { mergeMessageStatuses } from '../store/message-statuses.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { loadCampaignContext, type CampaignContext } from './campaign-context.ts';

export type SupervisionDeps = { db: Db; clock: Clock; log: Logger };

const SYSTEM_ACTOR: AuditActor = { type: 'system' };

/** Runs one tick; returns the running campaigns' contexts, freshly loaded, for the batches that follow. */
export async function superviseCampaigns(deps: SupervisionDeps): Promise<CampaignContext[]> {
  const { db, clock } = deps;
  const recovered = await recoverExpiredLeases(db, clock.now());
  if (recovered.requeued + recovered.unknown > 0) deps.log.warn('dispatcher.leases_recovered', recovered);
  const reconciled = await reconcileUnknownMessages(db, clock.now());
  if (reconciled.length > 0) await mergeMessageStatuses(db, reconciled, clock.now());
  for (const campaign of await listCampaigns(db, { states: ['scheduled'] })) {
    if (campaign.startsAt === null || campaign.startsAt.getTime() <= clock.now().getTime()) {
      await startScheduledCampaign(deps, campaign.id);
    }
  }
  const running: CampaignContext[] = [];
  for (const campaign of await listCampaigns(db, { states: ['running'] })) {
    const context = await loadCampaignContext(db, campaign);
    if (await checkCampaign(deps, context)) running.push(context);
  }
  return running;
}

/** The checks of one running campaign; false when it stopped running (paused or completed). */
async function checkCampaign(deps: SupervisionDeps, context: CampaignContext): Promise<boolean> {
  const { db, clock } = deps;
  const { campaign } = context;
  const since = await guardsSince(db, campaign);
  const pause = templateBreaker(context) ?? senderBreaker(context, since) ?? (await accountBreaker(db, context)) ?? (await campaignBreaker(db, context, since, clock.now()));
  if (pause) {
    await pauseCampaign(deps, campaign.id, pause);
    return false;
  }
  if (campaign.canarySize > 0 && campaign.canaryPassedAt === null && !(await judgeCanary(deps, context))) return false;
  if (!(await hasUnfinishedMessages(db, campaign.id)) && (await settled(db, campaign.id, clock.now()))) {
    await transitionCampaign(db, campaign.id, { from: ['running'], to: 'completed', event: { kind: 'completed', detail: 'every recipient was sent, skipped or accounted for, and Meta had two minutes to refuse the last sends' }, set: { finishedAt: clock.now() } }, clock.now());
    return false;
  }
  return true;
}

/**
 * Meta may fail an accepted message seconds later (131049 by webhook, say), and a campaign that can
 * still send re-plans it (apply-message-status.ts): so it completes only when its last send is this old.
 */
export const CAMPAIGN_SETTLE_MS = 2 * 60 * 1000;

async function settled(db: Db, campaignId: number, now: Date): Promise<boolean> {
  const last = await findLastSentAt(db, campaignId);
  return last === null || now.getTime() - last.getTime() >= CAMPAIGN_SETTLE_MS;
}

/**
 * An automatic pause (breaker, canary, budget), recorded in the audit log as the actor `system` in the
 * same transaction: the log then shows every pause, a person's or not, and never one that did not happen.
 */
export async function pauseCampaign(deps: SupervisionDeps, campaignId: number, pause: Pause): Promise<void> {
  const now = deps.clock.now();
  const paused = await deps.db.transaction(async (tx) => {
    const done = await transitionCampaign(tx, campaignId, { from: ['running', 'scheduled'], to: 'paused', pause, event: { kind: `paused_${pause.reason}`, detail: pause.detail } }, now);
    if (done) await insertAuditEvent(tx, SYSTEM_ACTOR, { action: 'campaign.pause', targetType: 'campaign', targetId: campaignId, detail: { reason: pause.reason, detail: pause.detail } }, now);
    return done;
  });
  if (paused) deps.log.warn('campaign.paused', { campaign: campaignId, reason: pause.reason, detail: pause.detail });
}

/** A scheduled campaign whose start time came: a launch that takes effect without a person, so audited as `system`. */
async function startScheduledCampaign(deps: SupervisionDeps, campaignId: number): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const started = await transitionCampaign(tx, campaignId, { from: ['scheduled'], to: 'running', event: { kind: 'started', detail: 'its start time came' } }, now);
    if (started) await insertAuditEvent(tx, SYSTEM_ACTOR, { action: 'campaign.start', targetType: 'campaign', targetId: campaignId, detail: { reason: 'schedule' } }, now);
  });
}

/** Breakers look at what happened since the campaign last (re)started: a person who resumed it has seen the cause. */
async function guardsSince(db: Db, campaign: Campaign): Promise<Date> {
  const events = await listCampaignEvents(db, campaign.id);
  const resumed = events.filter((event) => event.kind === 'resumed').at(-1);
  return resumed?.occurredAt ?? campaign.launchedAt ?? campaign.createdAt;
}

/** Template PAUSED / DISABLED / RED (§4.1): every further send would fail or hurt the number, so the campaign pauses. */
function templateBreaker(context: CampaignContext): Pause | null {
  const bad = context.templates.find((template) => {
    const status = template.status?.toUpperCase();
    return status === 'PAUSED' || status === 'DISABLED' || template.qualityScore?.toUpperCase() === 'RED';
  });
  if (!bad) return null;
  const what = bad.status?.toUpperCase() === 'PAUSED' || bad.status?.toUpperCase() === 'DISABLED' ? `Meta ${bad.status.toLowerCase()} template "${bad.name}" (${bad.language})` : `template "${bad.name}" (${bad.language}) has RED quality`;
  return { reason: 'breaker', detail: `${what}: people are reporting or blocking it (§4.1)`, action: `review the template's wording and value, then edit or unpause it and run: greenlight campaigns resume ${context.campaign.id}` };
}

/** The sender's quality is RED, or dropped while the campaign ran; or Meta limits what it may send. */
function senderBreaker(context: CampaignContext, since: Date): Pause | null {
  const { sender, campaign } = context;
  const quality = sender.qualityRating?.toUpperCase() ?? null;
  const action = `wait for the number's quality to recover (greenlight senders sync), then run: greenlight campaigns resume ${campaign.id}`;
  if (quality === 'RED') return { reason: 'breaker', detail: `the sender ${sender.displayPhoneNumber ?? sender.phoneNumberId} has RED quality (§8.4, §1.3)`, action };
  if (quality === 'YELLOW' && sender.updatedAt.getTime() >= since.getTime()) return { reason: 'breaker', detail: `the sender's quality dropped to YELLOW while the campaign ran (§8.4, §1.3)`, action };
  if (sender.canSendMessage?.toUpperCase() === 'BLOCKED') return { reason: 'breaker', detail: `Meta reports the sender cannot send messages (health status BLOCKED)`, action };
  return null;
}

/** An account_update restriction or ban (§1.4): the whole account must stop until a person resolves it. */
async function accountBreaker(db: Db, context: CampaignContext): Promise<Pause | null> {
  const waba = await findWabaState(db, context.sender.wabaId);
  if (!waba) return null;
  const restricted = waba.restrictions.length > 0 || (waba.banState !== null && waba.banState.toUpperCase() !== 'NONE');
  if (!restricted) return null;
  return { reason: 'breaker', detail: `the WhatsApp Business Account ${waba.wabaId} is restricted (${waba.banState ?? JSON.stringify(waba.restrictions)})`, action: `resolve the restriction in WhatsApp Manager, then run: greenlight campaigns resume ${context.campaign.id}` };
}

/** The campaign's own opt-out, failure and block-signal rates over its sliding window (campaign-guards.ts). */
async function campaignBreaker(db: Db, context: CampaignContext, since: Date, now: Date): Promise<Pause | null> {
  const thresholds = guardThresholdsOf(context.spec);
  const windowStart = new Date(Math.max(since.getTime(), now.getTime() - thresholds.windowMs));
  const counts = await campaignWindowCounts(db, context.campaign.id, windowStart, null);
  const outcome = evaluateCampaignGuards(context.campaign.id, counts, thresholds, thresholds.windowMs);
  return outcome.kind === 'trip' ? { reason: 'breaker', detail: outcome.detail, action: outcome.action } : null;
}

/** True when the campaign may go on sending now (the canary passed, or its wave is still going out). */
async function judgeCanary(deps: SupervisionDeps, context: CampaignContext): Promise<boolean> {
  const { db, clock } = deps;
  const { campaign, spec } = context;
  const wave = await canaryWaveState(db, campaign.id);
  const counts = await campaignWindowCounts(db, campaign.id, new Date(0), 0);
  const holdMs = spec.canary === false ? 0 : spec.canary.holdMinutes * 60_000;
  const decision = decideCanary(campaign.id, { size: campaign.canarySize, holdMs, thresholds: guardThresholdsOf(spec) }, { ...counts, settledAt: wave.pending > 0 ? null : (wave.settledAt ?? clock.now()) }, clock.now());
  if (decision.kind === 'wait') return wave.pending > 0;
  if (decision.kind === 'stop') {
    await pauseCampaign(deps, campaign.id, { reason: 'canary', detail: decision.detail, action: decision.action });
    return false;
  }
  if (await markCanaryPassed(db, campaign.id, `the canary wave of ${counts.sent} passed its thresholds`, clock.now())) await releaseAfterCanary(db, campaign.id, clock.now());
  return true;
}
