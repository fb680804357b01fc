// The JSON the API gives for a campaign: the summary every campaign route answers with (its state, the
// way out of a pause, and its messages by dispatch state) and the progress of the detail view.

import type { DispatchCounts } from '../../store/campaign-messages.ts';
import type { Campaign } from '../../store/campaigns.ts';

export function campaignSummary(campaign: Campaign, counts: DispatchCounts) {
  return {
    id: campaign.id, name: campaign.name, state: campaign.state,
    pauseReason: campaign.pauseReason, pauseDetail: campaign.pauseDetail, pauseAction: campaign.pauseAction,
    templateName: campaign.templateName, senderId: campaign.senderId, recipients: campaign.recipients, counts,
    startsAt: campaign.startsAt, launchedAt: campaign.launchedAt, finishedAt: campaign.finishedAt, createdAt: campaign.createdAt,
  };
}

/** `pending`: not decided for good yet (waiting, deferred or in flight); the other numbers are final outcomes. */
export function progressOf(counts: DispatchCounts) {
  const pending = counts.planned + counts.deferred + counts.queued + counts.sending;
  const targeted = pending + counts.sent + counts.skipped + counts.failed + counts.unknown + counts.cancelled;
  return { targeted, sent: counts.sent, skipped: counts.skipped, failed: counts.failed, pending, unknown: counts.unknown, cancelled: counts.cancelled };
}
