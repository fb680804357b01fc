// Pins toMessagingLimit against every form whatsapp-rules.md §1.3–§1.4 lists: TIER_* names (current and
// legacy), the integers of business_capability_update, -1 for unlimited, and what is not a limit at all.
import { describe, expect, it } from 'vitest';
import { toMessagingLimit } from './messaging-limit.ts';
import type { MessagingLimit } from './whatsapp-events.ts';

describe('toMessagingLimit', () => {
  it.each<[string | number, MessagingLimit]>([
    ['TIER_50', { tier: 'TIER_50', usersPer24h: 50 }],
    ['TIER_250', { tier: 'TIER_250', usersPer24h: 250 }],
    ['TIER_1K', { tier: 'TIER_1K', usersPer24h: 1_000 }],
    ['TIER_2K', { tier: 'TIER_2K', usersPer24h: 2_000 }],
    ['TIER_10K', { tier: 'TIER_10K', usersPer24h: 10_000 }],
    ['TIER_100K', { tier: 'TIER_100K', usersPer24h: 100_000 }],
    ['TIER_UNLIMITED', { tier: 'TIER_UNLIMITED', usersPer24h: null }],
    [250, { tier: 'TIER_250', usersPer24h: 250 }],
    [2000, { tier: 'TIER_2K', usersPer24h: 2_000 }],
    [10000, { tier: 'TIER_10K', usersPer24h: 10_000 }],
    [100000, { tier: 'TIER_100K', usersPer24h: 100_000 }],
    [-1, { tier: 'TIER_UNLIMITED', usersPer24h: null }],
    ['2000', { tier: 'TIER_2K', usersPer24h: 2_000 }],
    ['-1', { tier: 'TIER_UNLIMITED', usersPer24h: null }],
    [' tier_2k ', { tier: 'TIER_2K', usersPer24h: 2_000 }],
  ])('reads %j as %j', (value, expected) => {
    expect(toMessagingLimit(value)).toEqual(expected);
  });

  it('reads TIER_NOT_SET (a number that never sent) as 0 users, never as unlimited, like domain/messaging-limit.ts', () => {
    expect(toMessagingLimit('TIER_NOT_SET')).toEqual({ tier: 'TIER_NOT_SET', usersPer24h: 0 });
  });

  it.each<[string | number, MessagingLimit]>([
    ['TIER_5K', { tier: 'TIER_5K', usersPer24h: 5_000 }],
    [5000, { tier: 'TIER_5K', usersPer24h: 5_000 }],
    [1500, { tier: 'TIER_1500', usersPer24h: 1_500 }],
  ])('reads a level Meta may add later (%j) from its name, because the ladder changes (§1.2)', (value, expected) => {
    expect(toMessagingLimit(value)).toEqual(expected);
  });

  it.each<string | number>([0, -2, 2.5, Number.NaN, Number.POSITIVE_INFINITY, 'TIER_0', 'TIER_FOO', 'TIER_', '', 'unlimited', 'TIER_2M'])('returns null for %j, which is not a messaging limit', (value) => {
    expect(toMessagingLimit(value)).toBeNull();
  });

  it('returns a fresh object each time, so a caller that edits one cannot change the next answer', () => {
    const first = toMessagingLimit('TIER_UNLIMITED');
    if (first) first.usersPer24h = 1;
    expect(toMessagingLimit(-1)).toEqual({ tier: 'TIER_UNLIMITED', usersPer24h: null });
  });
});
