import { describe, expect, it } from 'vitest';
import { isFreeEntryPointOpen, isServiceWindowOpen, decideMessagePricing } from './service-window.ts';

const HOUR = 60 * 60 * 1000;
const before = new Date('2026-09-15T12:00:00Z');
const after = new Date('2026-10-15T12:00:00Z');
const window = (now: Date, hoursAgo: number | null, referralHoursAgo: number | null = null) => ({
  lastInboundAt: hoursAgo === null ? null : new Date(now.getTime() - hoursAgo * HOUR),
  lastReferralAt: referralHoursAgo === null ? null : new Date(now.getTime() - referralHoursAgo * HOUR),
});

describe('isServiceWindowOpen', () => {
  it.each([
    ['is open 2 h after the contact wrote', 2, true],
    ['is closed 25 h after the contact wrote', 25, false],
    ['is closed in the last 15 minutes of the 24 h, so a queued session message cannot miss it', 23.9, false],
    ['is closed when the contact never wrote', null, false],
    ["is open when Meta's timestamp of the reply is a few seconds ahead of our clock", -10 / 3600, true],
    ['is not believed open for a timestamp hours in the future', -2, false],
  ])('%s', (_name, hoursAgo, expected) => {
    expect(isServiceWindowOpen(window(before, hoursAgo), before)).toBe(expected);
  });

  it('keeps the free entry point open 72 h from the referral and closes it after', () => {
    expect(isFreeEntryPointOpen(window(before, null, 71), before)).toBe(true);
    expect(isFreeEntryPointOpen(window(before, null, 73), before)).toBe(false);
  });
});

describe('decideMessagePricing', () => {
  it.each([
    ['charges a marketing template at the marketing rate', 'template', 'MARKETING', before, window(before, null), { rate: 'marketing', charged: true }],
    ['lets a utility template inside the window go free before 2026-10-01', 'template', 'UTILITY', before, window(before, 2), { rate: 'utility', charged: false }],
    ['charges a utility template inside the window from 2026-10-01', 'template', 'UTILITY', after, window(after, 2), { rate: 'utility', charged: true }],
    ['lets a session message go free before 2026-10-01', 'session', 'MARKETING', before, window(before, 2), { rate: 'utility', charged: false }],
    ['charges a session message at the utility rate from 2026-10-01', 'session', 'MARKETING', after, window(after, 2), { rate: 'utility', charged: true }],
    ['lets everything go free inside a free entry point, even after 2026-10-01', 'template', 'MARKETING', after, window(after, 2, 10), { rate: 'marketing', charged: false }],
  ] as const)('%s', (_name, via, category, now, state, expected) => {
    expect(decideMessagePricing(via, category, state, now)).toMatchObject(expected);
  });
});
