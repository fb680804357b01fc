// Pins when a campaign's own breakers trip (strictly over the threshold, never below the sample floor),
// what the canary waits for and when it stops, and the canary's size.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CanaryPlan, CanaryWave, WindowCounts } from './campaign-guards.ts';
import { CANARY_MAX_SIZE, CANARY_MIN_SIZE, DEFAULT_GUARD_THRESHOLDS, canarySize, decideCanary, evaluateCampaignGuards } from './campaign-guards.ts';

const MINUTE = 60 * 1_000;
const HOUR = 60 * MINUTE;
const thresholds = DEFAULT_GUARD_THRESHOLDS;
const counts = (overrides: Partial<WindowCounts> = {}): WindowCounts => ({ sent: 100, optedOut: 0, failed: 0, blockSignals: 0, ...overrides });

describe('evaluateCampaignGuards', () => {
  it.each([
    ['lets a clean window through', counts()],
    ['does not trip at exactly the opt-out threshold (2 of 100 = 2 %)', counts({ optedOut: 2 })],
    ['does not trip at exactly the failure threshold (10 of 100 = 10 %)', counts({ failed: 10 })],
    ['does not trip at exactly the block-signal threshold (1 of 100 = 1 %)', counts({ blockSignals: 1 })],
    ['does not judge a window below the sample floor, however bad (1 opt-out of 2)', counts({ sent: 2, optedOut: 1 })],
    ['does not judge 49 sent messages with the floor at 50, even with every rate over', counts({ sent: 49, optedOut: 10, failed: 20, blockSignals: 5 })],
    ['does not judge an empty window', counts({ sent: 0 })],
  ])('%s', (_name, window) => {
    expect(evaluateCampaignGuards(12, window, thresholds)).toEqual({ kind: 'ok' });
  });

  it('trips just above the opt-out threshold with a readable reason, the rate and the threshold', () => {
    expect(evaluateCampaignGuards(12, counts({ sent: 120, optedOut: 7 }), thresholds, 15 * MINUTE)).toEqual({
      kind: 'trip',
      guard: 'opt_out_rate',
      rate: 7 / 120,
      threshold: 0.02,
      detail: '7 of 120 recipients (5.8 %) opted out in the last 15 min; the limit is 2 %',
      action: "review the audience (did these people opt in to this kind of message?) and the template's value to them, then run greenlight campaigns resume 12",
    });
  });

  it.each([
    ['failures', counts({ failed: 11 }), 'failure_rate', '11 of 100 messages (11 %) failed in the current window; the limit is 10 %'],
    ['block signals', counts({ blockSignals: 2 }), 'block_signal_rate', '2 of 100 recipients (2 %) blocked or reported the business in the current window; the limit is 1 %'],
  ])('trips on %s over their threshold and says so', (_name, window, guard, detail) => {
    expect(evaluateCampaignGuards(7, window, thresholds)).toMatchObject({ kind: 'trip', guard, detail });
  });

  it('names the campaign to resume in the action', () => {
    const outcome = evaluateCampaignGuards(4_711, counts({ failed: 50 }), thresholds);
    expect(outcome.kind === 'trip' && outcome.action).toMatch(/greenlight campaigns resume 4711$/);
  });

  it('trips at exactly the sample floor (50 sent, 2 opt-outs = 4 %)', () => {
    expect(evaluateCampaignGuards(1, counts({ sent: 50, optedOut: 2 }), thresholds)).toMatchObject({ kind: 'trip', guard: 'opt_out_rate' });
  });

  it('reports block signals first when several rates are over, since they are what Meta rates quality on', () => {
    expect(evaluateCampaignGuards(1, counts({ optedOut: 30, failed: 50, blockSignals: 2 }), thresholds)).toMatchObject({ guard: 'block_signal_rate' });
    expect(evaluateCampaignGuards(1, counts({ optedOut: 30, failed: 50 }), thresholds)).toMatchObject({ guard: 'opt_out_rate' });
  });

  it('does not trip at a threshold that floating point cannot hold exactly (29 of 100 against 29 %)', () => {
    expect(evaluateCampaignGuards(1, counts({ failed: 29 }), { ...thresholds, failureRate: 0.29 })).toEqual({ kind: 'ok' });
  });

  it('shows enough decimals that a rate just over the limit does not read as equal to it', () => {
    const outcome = evaluateCampaignGuards(1, counts({ sent: 995, optedOut: 20 }), thresholds);
    expect(outcome).toMatchObject({ kind: 'trip', detail: '20 of 995 recipients (2.01 %) opted out in the current window; the limit is 2 %' });
  });

  it('never trips when every count is at or under its threshold, and always trips when one is over (property)', () => {
    const arb = fc.record({ sent: fc.integer({ min: 0, max: 10_000 }), a: fc.double({ min: 0, max: 1, noNaN: true }), b: fc.double({ min: 0, max: 1, noNaN: true }), c: fc.double({ min: 0, max: 1, noNaN: true }) });
    fc.assert(
      fc.property(arb, ({ sent, a, b, c }) => {
        const window = { sent, optedOut: Math.floor(a * sent), failed: Math.floor(b * sent), blockSignals: Math.floor(c * sent) };
        const over = window.optedOut / sent > thresholds.optOutRate || window.failed / sent > thresholds.failureRate || window.blockSignals / sent > thresholds.blockSignalRate;
        const outcome = evaluateCampaignGuards(1, window, thresholds);
        expect(outcome.kind).toBe(sent >= thresholds.minSample && over ? 'trip' : 'ok');
      }),
    );
  });
});

describe('decideCanary', () => {
  const settledAt = new Date('2026-06-10T12:00:00Z');
  const plan: CanaryPlan = { size: 20, holdMs: HOUR, thresholds };
  const wave = (overrides: Partial<CanaryWave> = {}): CanaryWave => ({ sent: 20, optedOut: 0, failed: 0, blockSignals: 0, settledAt, ...overrides });

  it('waits with no known end while some canary messages have not reached Meta', () => {
    const decision = decideCanary(3, plan, wave({ sent: 12, settledAt: null }), settledAt);
    expect(decision).toEqual({ kind: 'wait', until: null, detail: 'the canary wave is still being sent (12 of 20 reached Meta so far); it is judged 1 h after the last one' });
  });

  it('waits for the hold time after the last canary message reached Meta, even with bad signals already in', () => {
    const decision = decideCanary(3, plan, wave({ optedOut: 5 }), new Date(settledAt.getTime() + HOUR - 1));
    expect(decision).toMatchObject({ kind: 'wait', until: new Date(settledAt.getTime() + HOUR) });
  });

  it('continues a clean wave once the hold time has passed', () => {
    expect(decideCanary(3, plan, wave(), new Date(settledAt.getTime() + HOUR))).toEqual({ kind: 'continue' });
  });

  it('judges a 20-person canary although the campaign sample floor is 50, and stops it with a readable reason', () => {
    const decision = decideCanary(3, plan, wave({ optedOut: 2 }), new Date(settledAt.getTime() + 2 * HOUR));
    expect(decision).toEqual({
      kind: 'stop',
      guard: 'opt_out_rate',
      rate: 0.1,
      threshold: 0.02,
      detail: 'canary stopped: 2 of 20 recipients (10 %) opted out in the canary wave; the limit is 2 %',
      action: "review the audience (did these people opt in to this kind of message?) and the template's value to them, then run greenlight campaigns resume 3",
    });
  });

  it('keeps the campaign floor when the canary is larger than it', () => {
    const big: CanaryPlan = { ...plan, size: 500 };
    expect(decideCanary(3, big, wave({ sent: 40, optedOut: 10 }), new Date(settledAt.getTime() + HOUR))).toEqual({ kind: 'continue' });
  });

  it("judges the wave with the canary plan's own thresholds", () => {
    const strict: CanaryPlan = { ...plan, thresholds: { ...thresholds, failureRate: 0 } };
    expect(decideCanary(3, strict, wave({ failed: 1 }), new Date(settledAt.getTime() + HOUR))).toMatchObject({ kind: 'stop', guard: 'failure_rate' });
  });
});

describe('canarySize', () => {
  it.each([
    ['takes 2 % of a large audience', 10_000, null, 200],
    ['takes at least 20 people', 500, null, 20],
    ['takes at most 1,000 people', 1_000_000, null, 1_000],
    ['never takes more than the audience', 12, null, 12],
    ['takes a requested size as asked', 10_000, 50, 50],
    ['clamps a requested size to the audience', 30, 50, 30],
    ['takes a requested 0 as no canary', 30, 0, 0],
    ['gives 0 for an empty audience', 0, null, 0],
  ])('%s', (_name, audience, requested, expected) => {
    expect(canarySize(audience, requested)).toBe(expected);
  });

  it('always stays within 0 and the audience, and within 20 and 1,000 by default when the audience allows (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.option(fc.integer({ min: -5, max: 10_000_000 })), (audience, requested) => {
        const size = canarySize(audience, requested);
        expect(size).toBeGreaterThanOrEqual(0);
        expect(size).toBeLessThanOrEqual(audience);
        if (requested === null) {
          expect(size).toBeGreaterThanOrEqual(Math.min(CANARY_MIN_SIZE, audience));
          expect(size).toBeLessThanOrEqual(CANARY_MAX_SIZE);
        }
      }),
    );
  });
});
