import { describe, expect, it } from 'vitest';
import { assumedMessagingLimit } from './assumed-messaging-limit.ts';

describe('assumedMessagingLimit', () => {
  it.each([
    ['takes the WABA limit Meta last reported over the sender\'s tier', { messagingLimitTier: 'TIER_2K', messagingLimitUsers: 2000 }, 'TIER_250', { tier: 'TIER_2K', usersPer24h: 2000 }],
    ['keeps an unlimited WABA unlimited', { messagingLimitTier: 'TIER_UNLIMITED', messagingLimitUsers: null }, null, { tier: 'TIER_UNLIMITED', usersPer24h: null }],
    ['reads the sender\'s tier when the WABA has none', { messagingLimitTier: null, messagingLimitUsers: null }, 'TIER_10K', { tier: 'TIER_10K', usersPer24h: 10000 }],
    ['reads an unlimited sender tier as unlimited', null, 'TIER_UNLIMITED', { tier: 'TIER_UNLIMITED', usersPer24h: null }],
    ['sends nothing on TIER_NOT_SET rather than guess', null, 'TIER_NOT_SET', { tier: 'TIER_NOT_SET', usersPer24h: 0 }],
    ['assumes Meta\'s starting 250 for a tier it cannot read', null, 'TIER_FOO', { tier: 'TIER_FOO', usersPer24h: 250 }],
    ['assumes Meta\'s starting 250 when nothing was ever synced', null, null, { tier: null, usersPer24h: 250 }],
  ] as const)('%s', (_name, waba, senderTier, expected) => {
    expect(assumedMessagingLimit(waba, senderTier)).toEqual(expected);
  });
});
