// Reads Meta's messaging-limit values (TIER_* strings and the legacy integers) as a domain MessagingLimit
// (whatsapp-rules.md §1.3, §1.4), for webhooks and for the Graph API's phone-number fields alike. Pure.

import type { MessagingLimit } from './whatsapp-events.ts';

const UNLIMITED: MessagingLimit = { tier: 'TIER_UNLIMITED', usersPer24h: null };

// TIER_NOT_SET means "this number has never sent" (§1.3), not "no limit": `usersPer24h: null` would read
// as unlimited and switch the tier budget off. It gets 0: send nothing rather than guess.
const NOT_SET: MessagingLimit = { tier: 'TIER_NOT_SET', usersPer24h: 0 };

// Meta names each level after its size: TIER_250, TIER_2K, TIER_100K (and the legacy TIER_50, TIER_1K).
// Reading the name instead of listing it keeps a new level such as TIER_5K working (§1.2: the ladder moves).
const TIER_NAME = /^TIER_(\d{1,9})(K?)$/;

/**
 * "TIER_2K" → 2,000 users per 24 h; 2000 → TIER_2K; -1 and "TIER_UNLIMITED" → unlimited (usersPer24h null).
 * Integers are the legacy `max_daily_conversation_per_phone` form and the BCU example's form (§1.4).
 * Returns null for anything that is not a messaging limit (0, negative numbers other than -1, "TIER_FOO").
 */
export function toMessagingLimit(value: string | number): MessagingLimit | null {
  if (typeof value === 'number') return fromUserCount(value);
  const name = value.trim().toUpperCase();
  if (/^-?\d{1,15}$/.test(name)) return fromUserCount(Number(name));
  if (name === UNLIMITED.tier) return { ...UNLIMITED };
  if (name === NOT_SET.tier) return { ...NOT_SET };
  const match = TIER_NAME.exec(name);
  if (!match) return null;
  const users = Number(match[1]) * (match[2] === 'K' ? 1_000 : 1);
  return users > 0 ? { tier: name, usersPer24h: users } : null;
}

function fromUserCount(users: number): MessagingLimit | null {
  if (users === -1) return { ...UNLIMITED };
  if (!Number.isSafeInteger(users) || users <= 0) return null;
  return { tier: users % 1_000 === 0 ? `TIER_${users / 1_000}K` : `TIER_${users}`, usersPer24h: users };
}
