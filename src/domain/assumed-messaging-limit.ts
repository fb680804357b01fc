// The portfolio messaging limit Greenlight budgets against (whatsapp-rules.md §1.1–§1.3): what Meta last
// reported for the WABA, else the sender's tier from its last sync, else Meta's starting limit. Pure.

import { toMessagingLimit } from './messaging-limit.ts';

/** Meta's starting limit (§1.2): guessing higher could get the portfolio flagged. */
export const STARTING_MESSAGING_LIMIT = 250;

export type AssumedMessagingLimit = { tier: string | null; usersPer24h: number | null };

/**
 * `waba`: the WABA's row as Meta last reported it (store/account-signals.ts); `senderTier`: the sender's
 * messaging_limit_tier. usersPer24h null is unlimited; a tier that cannot be read counts as the starting limit.
 */
export function assumedMessagingLimit(waba: { messagingLimitTier: string | null; messagingLimitUsers: number | null } | null, senderTier: string | null): AssumedMessagingLimit {
  if (waba && waba.messagingLimitTier !== null) return { tier: waba.messagingLimitTier, usersPer24h: waba.messagingLimitUsers };
  if (senderTier === null) return { tier: null, usersPer24h: STARTING_MESSAGING_LIMIT };
  const limit = toMessagingLimit(senderTier);
  return limit ? { tier: limit.tier, usersPer24h: limit.usersPer24h } : { tier: senderTier, usersPer24h: STARTING_MESSAGING_LIMIT };
}
