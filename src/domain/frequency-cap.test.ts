import { describe, expect, it } from 'vitest';
import type { FrequencyCap, SentCampaignMessage } from './frequency-cap.ts';
import { decideFrequency, formatDuration } from './frequency-cap.ts';

const DAY = 24 * 60 * 60 * 1000;
const HOUR = 60 * 60 * 1000;
const now = new Date('2026-06-10T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);
const sent = (msAgo: number, templateName = 'weekly_offer', category: SentCampaignMessage['category'] = 'MARKETING'): SentCampaignMessage => ({ sentAt: ago(msAgo), templateName, category });
const cap: FrequencyCap = { maxMarketing: 2, windowMs: 7 * DAY, minGapMs: 0, sameTemplateCooldownMs: 0 };
const marketing = { templateName: 'spring_sale', category: 'MARKETING' } as const;
const utility = { templateName: 'order_update', category: 'UTILITY' } as const;

describe('decideFrequency', () => {
  it.each([
    ['lets a marketing message through under the cap (1 of 2 in 7 days)', [sent(2 * DAY)], marketing, cap, null, { kind: 'ok' }],
    ['does not count a marketing message that left the 7-day window', [sent(8 * DAY), sent(7 * DAY), sent(DAY)], marketing, cap, null, { kind: 'ok' }],
    ['does not cap utility messages however many marketing ones went', [sent(DAY), sent(2 * DAY), sent(3 * DAY)], utility, cap, null, { kind: 'ok' }],
    ['does not count utility messages against the marketing cap', [sent(DAY, 'order_update', 'UTILITY'), sent(2 * DAY)], marketing, cap, null, { kind: 'ok' }],
    ['lets everything through without a frequency cap', [sent(0, 'spring_sale')], marketing, null, null, { kind: 'ok' }],
  ])('%s', (_name, history, message, rules, sendUntil, expected) => {
    expect(decideFrequency(history, message, rules, sendUntil, now)).toEqual(expected);
  });

  it('defers a third marketing message in 7 days until the oldest of the two leaves the window', () => {
    const outcome = decideFrequency([sent(DAY), sent(5 * DAY)], marketing, cap, null, now);
    expect(outcome).toMatchObject({ kind: 'defer', reason: 'frequency_cap', until: new Date(now.getTime() + 2 * DAY) });
  });

  it('defers until enough messages leave when the contact is over the cap (3 sent, cap 2: the second oldest)', () => {
    const outcome = decideFrequency([sent(DAY), sent(5 * DAY), sent(6 * DAY)], marketing, cap, null, now);
    expect(outcome).toMatchObject({ kind: 'defer', until: new Date(now.getTime() + 2 * DAY) });
  });

  it('skips, not defers, when the cap frees only after the campaign ends', () => {
    const outcome = decideFrequency([sent(DAY), sent(5 * DAY)], marketing, cap, new Date(now.getTime() + DAY), now);
    expect(outcome).toMatchObject({ kind: 'skip', reason: 'frequency_cap' });
  });

  it('skips every marketing message when the cap is 0', () => {
    expect(decideFrequency([sent(DAY)], marketing, { ...cap, maxMarketing: 0 }, null, now)).toMatchObject({ kind: 'skip', reason: 'frequency_cap' });
  });

  it('skips the same template sent to the contact within the cooldown, from any campaign', () => {
    const outcome = decideFrequency([sent(3 * DAY, 'spring_sale')], marketing, { ...cap, sameTemplateCooldownMs: 30 * DAY }, null, now);
    expect(outcome).toMatchObject({ kind: 'skip', reason: 'same_template_recently' });
  });

  it('sends the same template again once the cooldown has passed', () => {
    expect(decideFrequency([sent(31 * DAY, 'spring_sale')], marketing, { ...cap, sameTemplateCooldownMs: 30 * DAY }, null, now)).toEqual({ kind: 'ok' });
  });

  it('defers any message, utility included, until the minimum gap after the last campaign message', () => {
    const outcome = decideFrequency([sent(2 * HOUR, 'order_update', 'UTILITY')], utility, { ...cap, minGapMs: 6 * HOUR }, null, now);
    expect(outcome).toMatchObject({ kind: 'defer', reason: 'min_gap', until: new Date(now.getTime() + 4 * HOUR) });
  });

  it('defers to the later moment when both the cap and the minimum gap hold the message', () => {
    const outcome = decideFrequency([sent(HOUR), sent(6 * DAY + 23 * HOUR)], marketing, { ...cap, minGapMs: 12 * HOUR }, null, now);
    expect(outcome).toMatchObject({ kind: 'defer', reason: 'min_gap', until: new Date(now.getTime() + 11 * HOUR) });
  });

  it('skips a repeat before deferring for the cap: a message that will never go must not wait', () => {
    const outcome = decideFrequency([sent(DAY, 'spring_sale'), sent(2 * DAY)], marketing, { ...cap, sameTemplateCooldownMs: 7 * DAY, minGapMs: 2 * DAY }, null, now);
    expect(outcome).toMatchObject({ kind: 'skip', reason: 'same_template_recently' });
  });
});

describe('formatDuration', () => {
  it.each([
    ['days', 7 * DAY, '7 d'],
    ['hours', 6 * HOUR, '6 h'],
    ['minutes', 90 * 60 * 1000, '90 min'],
  ])('writes %s', (_name, ms, expected) => {
    expect(formatDuration(ms)).toBe(expected);
  });
});
