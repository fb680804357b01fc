// launchCampaign: freezes the audience into one message row per recipient (one INSERT … SELECT) and
// moves the campaign to scheduled or running, all in one transaction: a failed launch leaves a draft.

import { canarySize } from '../domain/campaign-guards.ts';
import { canApply, refusal } from '../domain/campaign-state.ts';
import { templatesOf } from '../domain/campaign-spec.ts';
import { AppError } from '../errors.ts';
import type { Clock } from '../lib/clock.ts';
import { countAudience, planCampaignMessages } from '../store/campaign-messages.ts';
import { findCampaign, transitionCampaign, type Campaign } from '../store/campaigns.ts';
import type { Db } from '../store/db.ts';
import { resolveAudience } from './create-campaign.ts';

export type Launched = { campaign: Campaign; recipients: number; canarySize: number; planMs: number };

export async function launchCampaign(deps: { db: Db; clock: Clock }, campaignId: number): Promise<Launched> {
  const started = performance.now();
  return deps.db.transaction(async (tx) => {
    const campaign = await findCampaign(tx, campaignId);
    if (!campaign) throw new AppError('NOT_FOUND', `no campaign ${campaignId}`);
    if (!canApply('launch', campaign.state)) throw new AppError('INVALID_STATE', `campaign ${campaignId}: ${refusal('launch', campaign.state)}`);
    const now = deps.clock.now();
    const spec = campaign.spec;
    const audience = await resolveAudience(tx, spec.audience);
    const size = await countAudience(tx, audience);
    const canary = spec.canary === false ? 0 : canarySize(size, spec.canary.size ?? null);
    const startsAt = campaign.startsAt && campaign.startsAt.getTime() > now.getTime() ? campaign.startsAt : now;
    const recipients = await planCampaignMessages(tx, { campaignId, senderId: campaign.senderId, audience, startsAt, canarySize: canary, variants: templatesOf(spec).map((variant) => ({ name: variant.variant, template: variant.template, weight: variant.weight })) }, now);
    const to = startsAt.getTime() > now.getTime() ? 'scheduled' : 'running';
    const detail = `${recipients} recipients planned${canary > 0 ? `, a canary wave of ${canary} first` : ''}${to === 'scheduled' ? `, starting ${startsAt.toISOString()}` : ''}`;
    const launched = await transitionCampaign(tx, campaignId, { from: ['draft'], to, event: { kind: 'launched', detail }, set: { launchedAt: now, recipients, canarySize: canary } }, now);
    if (!launched) throw new AppError('INVALID_STATE', `campaign ${campaignId} changed while it was being launched; try again`);
    return { campaign: launched, recipients, canarySize: canary, planMs: performance.now() - started };
  });
}
