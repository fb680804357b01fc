// The simulator's small models on their own: the event clock, region rules, content scoring, the people's
// annoyance factors and the quality thresholds. Table-driven; no simulator instance needed.

import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/lib/clock.ts';
import { spamScore } from '../../src/simulator/content-signals.ts';
import { isMarketingCapExempt, isUsNumber } from '../../src/simulator/phone-regions.ts';
import { createQualityScores, DEFAULT_QUALITY_MODEL } from '../../src/simulator/quality-score.ts';
import { createRandom } from '../../src/simulator/random.ts';
import { annoyance } from '../../src/simulator/reactions.ts';
import { createSimClock } from '../../src/simulator/sim-clock.ts';

const START = new Date('2026-09-15T09:00:00Z');

describe('simulated clock', () => {
  it('runs due events in time order, same-instant events in scheduling order, including events scheduled by events', async () => {
    const clock = createSimClock({ startAt: START });
    const seen: string[] = [];
    clock.after(200, () => void seen.push('b'));
    clock.after(100, () => {
      seen.push('a');
      clock.after(50, () => void seen.push('a+50'));
    });
    clock.after(200, () => void seen.push('c'));
    await clock.advance(149);
    expect(seen).toEqual(['a']);
    await clock.advance(100);
    expect(seen).toEqual(['a', 'a+50', 'b', 'c']);
    expect(clock.nowMs()).toBe(START.getTime() + 249);
  });

  it('moves at `speed` times real time in speed mode, and is frozen until started', async () => {
    const real = createManualClock(new Date('2030-01-01T00:00:00Z'));
    const clock = createSimClock({ startAt: START, speed: 60, realClock: real });
    real.advanceMs(1_000);
    expect(clock.nowMs()).toBe(START.getTime());
    clock.start();
    real.advanceMs(1_000);
    expect(clock.nowMs()).toBe(START.getTime() + 60_000);
    const seen: number[] = [];
    clock.after(30_000, () => void seen.push(clock.nowMs()));
    await clock.runDue();
    expect(seen).toEqual([]);
    real.advanceMs(500);
    await clock.runDue();
    expect(seen).toEqual([START.getTime() + 90_000]);
    clock.stop();
    real.advanceMs(1_000);
    expect(clock.nowMs()).toBe(START.getTime() + 90_000);
  });
});

describe('seeded randomness', () => {
  it('repeats a stream for the same seed and keeps forks independent of each other', () => {
    const a = createRandom(5);
    const b = createRandom(5);
    expect([a.next(), a.next()]).toEqual([b.next(), b.next()]);
    expect(createRandom(5).fork('x').next()).toBe(createRandom(5).fork('x').next());
    expect(createRandom(5).fork('x').next()).not.toBe(createRandom(5).fork('y').next());
  });
});

describe('recipient regions', () => {
  it.each([
    ['12125550123', true, 'New York'],
    ['17875550123', true, 'Puerto Rico (a US territory)'],
    ['14165550123', false, 'Toronto'],
    ['18765550123', false, 'Jamaica'],
    ['5511987654321', false, 'Brazil'],
  ])('treats %s as a US number: %s (%s)', (waId, expected) => {
    expect(isUsNumber(waId)).toBe(expected);
  });

  it.each([
    ['4915112345678', true],
    ['447700900123', true],
    ['351912345678', true],
    ['819012345678', true],
    ['5511987654321', false],
    ['380501234567', false],
  ])('exempts %s from the per-user marketing cap: %s', (waId, expected) => {
    expect(isMarketingCapExempt(waId)).toBe(expected);
  });
});

describe('content and reactions', () => {
  it.each([
    ['Your order 123 has shipped.', 0, 0],
    ['LAST CHANCE!!! HUGE SALE TODAY', 0.6, 1],
    ['Act now: bit.ly/deal', 0.4, 1],
  ])('scores "%s" as spam between %s and %s', (message, low, high) => {
    expect(spamScore(message)).toBeGreaterThanOrEqual(low);
    expect(spamScore(message)).toBeLessThanOrEqual(high);
  });

  it('makes people more annoyed without consent, with frequency and with spam', () => {
    const person = { waId: '1', name: 'A', onWhatsApp: true, readPropensity: 0.8, replyPropensity: 0.05, irritability: 1, marketingCapPerDay: 3 };
    const base = { person, optedIn: true, receivedLastDay: 0, spam: 0, category: 'marketing' as const };
    expect(annoyance({ ...base, optedIn: false })).toBe(20 * annoyance(base));
    expect(annoyance({ ...base, receivedLastDay: 4 })).toBe(2 * annoyance(base));
    expect(annoyance({ ...base, spam: 1 })).toBe(3 * annoyance(base));
  });
});

describe('quality score', () => {
  it.each([
    [10, 5, 'UNKNOWN'],
    [100, 0, 'GREEN'],
    [100, 3, 'GREEN'],
    [100, 4, 'YELLOW'],
    [100, 8, 'RED'],
  ])('rates %s deliveries with %s negative weight as %s', (delivered, negative, rating) => {
    const scores = createQualityScores(DEFAULT_QUALITY_MODEL);
    for (let index = 0; index < delivered; index += 1) scores.recordDelivered('x', 0);
    scores.recordNegative('x', negative, 0);
    expect(scores.rating('x', 0)).toBe(rating);
  });

  it('weights recent feedback more: old complaints fade as new deliveries come in', () => {
    const scores = createQualityScores(DEFAULT_QUALITY_MODEL);
    for (let index = 0; index < 100; index += 1) scores.recordDelivered('x', 0);
    scores.recordNegative('x', 10, 0);
    expect(scores.rating('x', 0)).toBe('RED');
    const sevenDays = 7 * 86_400_000;
    for (let index = 0; index < 400; index += 1) scores.recordDelivered('x', sevenDays);
    expect(scores.rating('x', sevenDays)).toBe('GREEN');
  });
});
