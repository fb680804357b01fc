// REST API routes that move a campaign between states: launch, pause, resume, cancel — the CLI's own
// actions (launch-campaign, control-campaign). A state that does not allow the change answers
// 409 INVALID_STATE with the reason (domain/campaign-state.ts refusal).

import { z } from 'zod';
import { cancelCampaign, pauseCampaignByHand, resumeCampaign } from '../../actions/control-campaign.ts';
import { launchCampaign } from '../../actions/launch-campaign.ts';
import { recordAuditEvent } from '../../actions/record-audit-event.ts';
import type { WhatsAppDeps } from '../../deps.ts';
import { countMessagesByState } from '../../store/campaign-messages.ts';
import type { Campaign } from '../../store/campaigns.ts';
import { idParam, type ApiRouter } from './api-kit.ts';
import { apiActor } from './audit-actor.ts';
import { campaignSummary } from './campaign-view.ts';

const CAMPAIGN_TAG = 'campaigns';

export function campaignControlRoutes(api: ApiRouter, deps: WhatsAppDeps): void {
  const summary = async (campaign: Campaign) => campaignSummary(campaign, await countMessagesByState(deps.db, campaign.id));
  const refused = (what: string) => ({ 400: 'Not a campaign id, or a bad body', 404: 'No such campaign', 409: `INVALID_STATE: the campaign's state does not allow ${what}` });

  api.route({
    method: 'post', path: '/campaigns/:id/launch', tag: CAMPAIGN_TAG, summary: 'Freeze the audience into one message per recipient and start (or schedule) the campaign', idempotent: true,
    params: idParam,
    responses: { 200: '{ campaign, planned, canarySize }', ...refused('a launch (only a draft launches)'), 422: 'IDEMPOTENCY_KEY_REUSED: the key was used for another request' },
  }, async ({ c, params }) => {
    const launched = await launchCampaign(deps, params.id);
    await recordAuditEvent(deps, apiActor(c), { action: 'campaign.launch', targetType: 'campaign', targetId: params.id, detail: { recipients: launched.recipients } });
    return { status: 200, body: { campaign: await summary(launched.campaign), planned: launched.recipients, canarySize: launched.canarySize } };
  });

  api.route({
    method: 'post', path: '/campaigns/:id/pause', tag: CAMPAIGN_TAG, summary: 'Pause a running or scheduled campaign by hand',
    params: idParam, body: z.strictObject({ note: z.string().trim().min(1).max(500).optional() }),
    responses: { 200: '{ campaign }', ...refused('a pause (only scheduled or running)') },
  }, async ({ c, params, body }) => {
    const paused = await pauseCampaignByHand(deps, params.id, body.note ?? null);
    await recordAuditEvent(deps, apiActor(c), { action: 'campaign.pause', targetType: 'campaign', targetId: params.id });
    return { status: 200, body: { campaign: await summary(paused) } };
  });

  api.route({
    method: 'post', path: '/campaigns/:id/resume', tag: CAMPAIGN_TAG, summary: 'Resume a paused campaign (after a budget pause, with a larger budgetUsd)',
    params: idParam, body: z.strictObject({ budgetUsd: z.number().positive().max(1e9).optional() }),
    responses: { 200: '{ campaign }', ...refused('a resume (only paused; a budget pause needs a larger budgetUsd)') },
  }, async ({ c, params, body }) => {
    const resumed = await resumeCampaign(deps, params.id, body.budgetUsd === undefined ? {} : { budgetUsd: body.budgetUsd });
    await recordAuditEvent(deps, apiActor(c), { action: 'campaign.resume', targetType: 'campaign', targetId: params.id, detail: body.budgetUsd === undefined ? {} : { budgetUsd: body.budgetUsd } });
    return { status: 200, body: { campaign: await summary(resumed) } };
  });

  api.route({
    method: 'post', path: '/campaigns/:id/cancel', tag: CAMPAIGN_TAG, summary: 'Cancel a campaign: nothing more is sent; what was sent stays recorded',
    params: idParam,
    responses: { 200: '{ campaign, cancelledMessages }', ...refused('a cancel (a completed or cancelled campaign stays as it is)') },
  }, async ({ c, params }) => {
    const result = await cancelCampaign(deps, params.id);
    await recordAuditEvent(deps, apiActor(c), { action: 'campaign.cancel', targetType: 'campaign', targetId: params.id, detail: { cancelledMessages: result.cancelledMessages } });
    return { status: 200, body: { campaign: await summary(result.campaign), cancelledMessages: result.cancelledMessages } };
  });
}
