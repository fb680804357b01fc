// campaignReport: what a campaign did — its funnel in total, per template/language and per A/B variant,
// why messages were skipped, deferred or failed, what it cost, and its history (product.md, Interfaces:
// "the funnel, skip/defer/failure reasons, cost"). Reads only; counting is SQL, shaping is domain.

import type { AbResult, FunnelCounts, FunnelLine } from '../domain/campaign-funnel.ts';
import { compareVariants, funnelLine, OPT_OUT_ATTRIBUTION_WINDOW_MS, REPLY_ATTRIBUTION_WINDOW_MS } from '../domain/campaign-funnel.ts';
import type { CampaignState, PauseReason } from '../domain/campaign-state.ts';
import { AppError } from '../errors.ts';
import type { Clock } from '../lib/clock.ts';
import { campaignFunnel, campaignOutcomeReasons, type DeferredCount, type FailureCount, type ReasonCount } from '../store/campaign-report.ts';
import { findCampaign, listCampaignEvents, type CampaignEvent } from '../store/campaigns.ts';
import type { Db } from '../store/db.ts';

export type CampaignReport = {
  generatedAt: Date;
  campaign: {
    id: number; name: string; state: CampaignState; templateName: string;
    pauseReason: PauseReason | null; pauseDetail: string | null; pauseAction: string | null;
    recipients: number; canarySize: number;
    /** Null when the campaign has no canary wave (canary size 0): there was nothing to pass. */
    canaryPassed: boolean | null; canaryPassedAt: Date | null;
    launchedAt: Date | null; finishedAt: Date | null;
  };
  history: CampaignEvent[];
  /** The whole campaign; `byTemplate` lines add up to it (one statement computes both). */
  totals: FunnelLine;
  byTemplate: Array<FunnelLine & { template: string | null; language: string | null }>;
  skipped: ReasonCount[];
  /** Still waiting, by reason, with when the first of them is due. */
  deferred: DeferredCount[];
  failures: FailureCount[];
  cost: { estimatedUsd: number; actualUsd: number; billableMessages: number; pricedMessages: number };
  /** Null unless the campaign has A/B variants (messages.variant set). */
  abTest: AbResult | null;
  attribution: { replyWindowMs: number; optOutWindowMs: number };
};

export async function campaignReport(deps: { db: Db; clock: Clock }, campaignId: number): Promise<CampaignReport> {
  const campaign = await findCampaign(deps.db, campaignId);
  if (!campaign) throw new AppError('NOT_FOUND', `no campaign ${campaignId}`);
  const generatedAt = deps.clock.now();
  const [funnel, reasons, history] = await Promise.all([
    campaignFunnel(deps.db, campaignId),
    campaignOutcomeReasons(deps.db, campaignId),
    listCampaignEvents(deps.db, campaignId),
  ]);
  const measuredVariants = funnel.byVariant.flatMap((line): Array<{ name: string; counts: FunnelCounts }> => (line.variant === null ? [] : [{ name: line.variant, counts: line.counts }]));
  const total = funnel.total;
  return {
    generatedAt,
    campaign: {
      id: campaign.id, name: campaign.name, state: campaign.state, templateName: campaign.templateName,
      pauseReason: campaign.pauseReason, pauseDetail: campaign.pauseDetail, pauseAction: campaign.pauseAction,
      recipients: campaign.recipients, canarySize: campaign.canarySize, canaryPassed: campaign.canarySize === 0 ? null : campaign.canaryPassedAt !== null, canaryPassedAt: campaign.canaryPassedAt,
      launchedAt: campaign.launchedAt, finishedAt: campaign.finishedAt,
    },
    history,
    totals: funnelLine(total),
    byTemplate: funnel.byTemplate.map((line) => ({ template: line.template, language: line.language, ...funnelLine(line.counts) })),
    skipped: reasons.skipped,
    deferred: reasons.deferred,
    failures: reasons.failures,
    cost: { estimatedUsd: total.estimatedUsd, actualUsd: total.actualUsd, billableMessages: total.billable, pricedMessages: total.priced },
    abTest: measuredVariants.length === 0 ? null : compareVariants(measuredVariants, (campaign.spec.variants ?? []).map((variant) => variant.name)),
    attribution: { replyWindowMs: REPLY_ATTRIBUTION_WINDOW_MS, optOutWindowMs: OPT_OUT_ATTRIBUTION_WINDOW_MS },
  };
}
