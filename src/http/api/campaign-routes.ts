// REST API routes: campaigns — list, create (from the campaign document), show, estimate, report,
// throughput and the per-recipient export; the state changes are in campaign-control-routes.ts. The
// work is the CLI's own actions, and the estimate and report answer the same JSON as `--json` prints.

import { z } from 'zod';
import { campaignReport } from '../../actions/campaign-report.ts';
import { createCampaign } from '../../actions/create-campaign.ts';
import { estimateCampaign } from '../../actions/estimate-campaign.ts';
import { exportCampaignRecipients } from '../../actions/export-campaign-recipients.ts';
import { recordAuditEvent } from '../../actions/record-audit-event.ts';
import { lintCampaignTemplates } from '../../actions/lint-campaign-templates.ts';
import type { WhatsAppDeps } from '../../deps.ts';
import { campaignSpecSchema } from '../../domain/campaign-spec.ts';
import { CAMPAIGN_STATES } from '../../domain/campaign-state.ts';
import { AppError } from '../../errors.ts';
import { listDispatchCounts } from '../../store/campaign-counts.ts';
import { countMessagesByState } from '../../store/campaign-messages.ts';
import { listCampaignThroughput } from '../../store/campaign-throughput.ts';
import { findCampaign, listCampaignEvents, listCampaigns, type Campaign } from '../../store/campaigns.ts';
import { idParam, type ApiRouter } from './api-kit.ts';
import { apiActor } from './audit-actor.ts';
import { campaignControlRoutes } from './campaign-control-routes.ts';
import { campaignSummary, progressOf } from './campaign-view.ts';
import { csvResponse } from './csv-response.ts';
import { findingJson } from './template-view.ts';
import type { ApiEnvironment } from './status-routes.ts';

const CAMPAIGN_TAG = 'campaigns';

/**
 * Any JSON object, checked by domain/campaign-spec.ts inside createCampaign (as the CLI's --file is),
 * so a bad document gets every problem with its path; the OpenAPI document shows the spec's schema.
 */
const { $schema: _dialect, ...documentSchema } = z.toJSONSchema(campaignSpecSchema, { io: 'input', unrepresentable: 'any' });
const campaignDocument = z.looseObject({}).meta({ ...documentSchema, description: 'The campaign document (as samples/campaign.json; README "Campaigns").' });

async function findCampaignOr404(deps: WhatsAppDeps, id: number): Promise<Campaign> {
  const campaign = await findCampaign(deps.db, id);
  if (!campaign) throw new AppError('NOT_FOUND', `no campaign ${id}`);
  return campaign;
}

export function campaignRoutes(api: ApiRouter, deps: WhatsAppDeps, environment: ApiEnvironment): void {
  api.route({
    method: 'get', path: '/campaigns', tag: CAMPAIGN_TAG, summary: 'Every campaign with its state and messages by dispatch state, oldest first',
    query: z.object({ state: z.enum(CAMPAIGN_STATES).optional() }),
    responses: { 200: '{ items: [CampaignSummary] }', 400: 'An unknown state' },
  }, async ({ query }) => {
    const campaigns = await listCampaigns(deps.db, query.state ? { states: [query.state] } : {});
    const counts = await listDispatchCounts(deps.db, campaigns.map((campaign) => campaign.id));
    return { status: 200, body: { items: campaigns.map((campaign) => campaignSummary(campaign, counts.get(campaign.id)!)) } };
  });

  api.route({
    method: 'post', path: '/campaigns', tag: CAMPAIGN_TAG, summary: 'Create a campaign (a draft) from a campaign document', idempotent: true,
    body: campaignDocument,
    responses: {
      201: '{ campaign: CampaignSummary, audienceSize, warnings }', 400: 'The document is not valid (field: the path of the first problem)',
      404: 'Unknown sender, template or segment', 422: 'IDEMPOTENCY_KEY_REUSED: the key was used for another request',
    },
  }, async ({ body }) => {
    const created = await createCampaign(deps, body);
    return { status: 201, body: { campaign: campaignSummary(created.campaign, await countMessagesByState(deps.db, created.campaign.id)), audienceSize: created.audienceSize, warnings: created.warnings } };
  });

  api.route({
    method: 'get', path: '/campaigns/:id', tag: CAMPAIGN_TAG, summary: 'One campaign: summary, document, history and progress',
    params: idParam,
    responses: { 200: '{ campaign, spec, events, progress }', 400: 'Not a campaign id', 404: 'No such campaign' },
  }, async ({ params }) => {
    const campaign = await findCampaignOr404(deps, params.id);
    const [counts, events] = await Promise.all([countMessagesByState(deps.db, campaign.id), listCampaignEvents(deps.db, campaign.id)]);
    return { status: 200, body: { campaign: campaignSummary(campaign, counts), spec: campaign.spec, events, progress: progressOf(counts) } };
  });

  api.route({
    method: 'post', path: '/campaigns/:id/estimate', tag: CAMPAIGN_TAG, summary: 'What the campaign would send, skip and defer, cost and take, plus lint of the variants it would use',
    params: idParam,
    responses: { 200: 'The estimate (as `campaigns estimate --json`) + lint: [{ template, language, findings }]', 400: 'Not a campaign id', 404: 'No such campaign' },
  }, async ({ params }) => {
    const estimate = await estimateCampaign(deps, params.id, { rateCard: environment.rateCard });
    const lint = await lintCampaignTemplates(deps, params.id);
    return { status: 200, body: { ...estimate, lint: lint.map((entry) => ({ ...entry, findings: entry.findings.map(findingJson) })) } };
  });

  api.route({
    method: 'get', path: '/campaigns/:id/report', tag: CAMPAIGN_TAG, summary: 'The funnel, reasons, cost and A/B result',
    params: idParam,
    responses: { 200: 'The report (as `campaigns report --json`)', 400: 'Not a campaign id', 404: 'No such campaign' },
  }, async ({ params }) => ({ status: 200, body: await campaignReport(deps, params.id) }));

  api.route({
    method: 'get', path: '/campaigns/:id/throughput', tag: CAMPAIGN_TAG, summary: 'Sends and failures per bucket of N seconds (buckets with neither are left out)',
    params: idParam, query: z.object({ bucketSeconds: z.coerce.number().int().min(1).max(86_400).default(60) }),
    responses: { 200: '{ bucketSeconds, points: [{ at, sent, failed }] }', 400: 'Not a campaign id, or a bucket outside 1 s – 1 day', 404: 'No such campaign' },
  }, async ({ params, query }) => {
    const campaign = await findCampaignOr404(deps, params.id);
    return { status: 200, body: { bucketSeconds: query.bucketSeconds, points: await listCampaignThroughput(deps.db, campaign.id, query.bucketSeconds) } };
  });

  api.route({
    method: 'get', path: '/campaigns/:id/export', tag: CAMPAIGN_TAG, summary: 'One CSV line per recipient: decision, Meta’s status, cost, engagement',
    params: idParam,
    responses: { 200: 'text/csv, streamed', 400: 'Not a campaign id', 404: 'No such campaign' },
  }, async ({ c, params }) => {
    // Checked before the first byte: once the CSV streams, the status is already 200.
    const campaign = await findCampaignOr404(deps, params.id);
    await recordAuditEvent(deps, apiActor(c), { action: 'campaign.export_recipients', targetType: 'campaign', targetId: campaign.id });
    return csvResponse(`campaign-${campaign.id}-recipients.csv`, deps.log, (out) => exportCampaignRecipients(deps, campaign.id, out));
  });

  campaignControlRoutes(api, deps);
}
