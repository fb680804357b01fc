// pauseCampaign / resumeCampaign / cancelCampaign: what a person does to a running campaign. Each
// change is conditional on the state it leaves, so a breaker and a person acting at once cannot clash.

import { canApply, refusal, type CampaignCommand } from '../domain/campaign-state.ts';
import { AppError } from '../errors.ts';
import type { Clock } from '../lib/clock.ts';
import { cancelPendingMessages, releaseAfterCanary } from '../store/campaign-messages.ts';
import { findCampaign, markCanaryPassed, transitionCampaign, updateCampaignSpec, type Campaign } from '../store/campaigns.ts';
import type { Db } from '../store/db.ts';

type ControlDeps = { db: Db; clock: Clock };

async function load(db: Db, id: number, command: CampaignCommand): Promise<Campaign> {
  const campaign = await findCampaign(db, id);
  if (!campaign) throw new AppError('NOT_FOUND', `no campaign ${id}`);
  if (!canApply(command, campaign.state)) throw new AppError('INVALID_STATE', `campaign ${id}: ${refusal(command, campaign.state)}`);
  return campaign;
}

export async function pauseCampaignByHand(deps: ControlDeps, id: number, note: string | null): Promise<Campaign> {
  const campaign = await load(deps.db, id, 'pause');
  const detail = note ? `paused by hand: ${note}` : 'paused by hand';
  const paused = await transitionCampaign(deps.db, id, { from: [campaign.state], to: 'paused', pause: { reason: 'manual', detail, action: `greenlight campaigns resume ${id}` }, event: { kind: 'paused_manual', detail } }, deps.clock.now());
  if (!paused) throw new AppError('INVALID_STATE', `campaign ${id} changed meanwhile; look at its status and try again`);
  return paused;
}

/**
 * Resuming after a canary stop means a person judged the wave and lets the rest go. After a budget
 * pause the budget must grow first (`budgetUsd`), or the next message would pause it again.
 */
export async function resumeCampaign(deps: ControlDeps, id: number, options: { budgetUsd?: number } = {}): Promise<Campaign> {
  return deps.db.transaction(async (tx) => {
    const campaign = await load(tx, id, 'resume');
    const now = deps.clock.now();
    if (options.budgetUsd !== undefined) {
      if (!(options.budgetUsd > 0)) throw new AppError('INVALID_INPUT', 'the budget must be more than 0 USD');
      await updateCampaignSpec(tx, id, { ...campaign.spec, budget: { usd: options.budgetUsd } }, now);
    } else if (campaign.pauseReason === 'budget') {
      throw new AppError('INVALID_STATE', `campaign ${id} paused on its budget of ${campaign.spec.budget?.usd ?? '?'} USD; resume with a larger budget (--budget-usd)`);
    }
    if (campaign.pauseReason === 'canary' && (await markCanaryPassed(tx, id, 'released by hand after the canary stop', now))) await releaseAfterCanary(tx, id, now);
    const to = campaign.startsAt && campaign.startsAt.getTime() > now.getTime() ? 'scheduled' : 'running';
    const resumed = await transitionCampaign(tx, id, { from: ['paused'], to, event: { kind: 'resumed', detail: `resumed by hand after: ${campaign.pauseDetail ?? campaign.pauseReason}` } }, now);
    if (!resumed) throw new AppError('INVALID_STATE', `campaign ${id} changed meanwhile; look at its status and try again`);
    return resumed;
  });
}

export async function cancelCampaign(deps: ControlDeps, id: number): Promise<{ campaign: Campaign; cancelledMessages: number }> {
  return deps.db.transaction(async (tx) => {
    const campaign = await load(tx, id, 'cancel');
    const now = deps.clock.now();
    const cancelled = await transitionCampaign(tx, id, { from: [campaign.state], to: 'cancelled', event: { kind: 'cancelled', detail: 'cancelled by hand' }, set: { finishedAt: now } }, now);
    if (!cancelled) throw new AppError('INVALID_STATE', `campaign ${id} changed meanwhile; look at its status and try again`);
    // Messages in flight keep their lease and finish; everything not yet claimed stops here.
    const cancelledMessages = await cancelPendingMessages(tx, id, now);
    return { campaign: cancelled, cancelledMessages };
  });
}
