// The JSON the API gives for a sender: its health as Meta last reported it, the portfolio's messaging
// limit and how much of it Greenlight used, and the pace Greenlight sends at with the last hour's sends.

import type { WhatsAppDeps } from '../../deps.ts';
import { assumedMessagingLimit } from '../../domain/assumed-messaging-limit.ts';
import { campaignRate } from '../../domain/pacing.ts';
import { findWabaState } from '../../store/account-signals.ts';
import type { Sender } from '../../store/senders.ts';
import { countPortfolioReach, countSenderSendsSince, listSenderSendsPerMinute } from '../../store/sender-usage.ts';

const MINUTE_MS = 60_000;
const QUALITY_RATINGS = new Set(['GREEN', 'YELLOW', 'RED']);

export async function senderView(deps: WhatsAppDeps, sender: Sender) {
  const now = deps.clock.now();
  // The last 60 calendar minutes, the current one included.
  const firstMinute = Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS - 59 * MINUTE_MS;
  const [waba, usedLast24h, sentLastMinute, minutes] = await Promise.all([
    findWabaState(deps.db, sender.wabaId),
    countPortfolioReach(deps.db, now),
    countSenderSendsSince(deps.db, sender.id, new Date(now.getTime() - MINUTE_MS)),
    listSenderSendsPerMinute(deps.db, sender.id, new Date(firstMinute)),
  ]);
  const limit = assumedMessagingLimit(waba, sender.messagingLimitTier);
  const sentAt = new Map(minutes.map((minute) => [minute.minute.getTime(), minute.sent]));
  const perMinute = Array.from({ length: 60 }, (_, index) => {
    const at = firstMinute + index * MINUTE_MS;
    return { at: new Date(at), sent: sentAt.get(at) ?? 0 };
  });
  return {
    id: sender.id,
    phoneNumberId: sender.phoneNumberId,
    wabaId: sender.wabaId,
    displayPhoneNumber: sender.displayPhoneNumber,
    verifiedName: sender.verifiedName,
    qualityRating: QUALITY_RATINGS.has(sender.qualityRating?.toUpperCase() ?? '') ? sender.qualityRating!.toUpperCase() : 'UNKNOWN',
    status: sender.status,
    // Meta's health status as it says it: AVAILABLE, LIMITED or BLOCKED (null before the first sync).
    canSendMessage: sender.canSendMessage,
    messagingLimit: {
      tier: limit.tier,
      limit: limit.usersPer24h,
      // Greenlight's own count of the portfolio's rolling 24 h reach: what it includes and misses is in store/sender-usage.ts.
      usedLast24h,
      share: shareOf(usedLast24h, limit.usersPer24h),
    },
    throughput: {
      // What the dispatcher paces the sender at (domain/pacing.ts): Meta's rate for its throughput level
      // (80 or 1,000 mps, whatsapp-rules.md §2) times the share left to campaigns (senders.throughput_share;
      // the rest is headroom for replies, which count against the same rate). Every campaign on the sender
      // reserves from one shared slot schedule (store/sender-pacing.ts), so this is the sender's total; a
      // campaign with a lower `rate` of its own goes slower.
      mps: campaignRate(sender.throughputLevel, sender.throughputShare, null),
      sentLastMinute,
      perMinute,
    },
  };
}

/** The used share of the limit: 0 when unlimited; 1 when the limit is 0 (Meta's TIER_NOT_SET: send nothing). */
function shareOf(used: number, limit: number | null): number {
  if (limit === null) return 0;
  if (limit <= 0) return 1;
  return Math.min(1, used / limit);
}
