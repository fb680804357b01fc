// Pins A/B arithmetic: the Wilson
// and Newcombe intervals match published values and stay within their bounds for any input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareProportions, wilsonInterval } from './ab-stats.ts';

describe('wilsonInterval', () => {
  it('matches the textbook 95 % interval for 81 of 263: [0.2553, 0.3662]', () => {
    const interval = wilsonInterval(81, 263);
    expect(interval.rate).toBeCloseTo(81 / 263, 10);
    expect(interval.low).toBeCloseTo(0.2553, 4);
    expect(interval.high).toBeCloseTo(0.3662, 4);
  });

  it.each([
    ['0 of 10 starts at exactly 0 and still allows up to 27.8 %', 0, 10, 0, 0.2775],
    ['10 of 10 ends at exactly 1', 10, 10, 0.7225, 1],
    ['20 of 1,000 is 1.3 % to 3.1 %', 20, 1_000, 0.013, 0.0307],
  ])('%s', (_name, successes, trials, low, high) => {
    const interval = wilsonInterval(successes, trials);
    expect(interval.low).toBeCloseTo(low, 4);
    expect(interval.high).toBeCloseTo(high, 4);
  });

  it('knows nothing with no trials: rate 0, interval [0, 1]', () => {
    expect(wilsonInterval(0, 0)).toEqual({ rate: 0, low: 0, high: 1 });
  });

  it('narrows as the confidence level drops', () => {
    const wide = wilsonInterval(81, 263, 2.576);
    const narrow = wilsonInterval(81, 263, 1.645);
    expect(narrow.low).toBeGreaterThan(wide.low);
    expect(narrow.high).toBeLessThan(wide.high);
  });

  it('keeps 0 ≤ low ≤ rate ≤ high ≤ 1 for any counts (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 10_000_000 }), fc.double({ min: 0, max: 5, noNaN: true }), (a, b, z) => {
        const interval = wilsonInterval(Math.min(a, b), Math.max(a, b), z);
        expect(0).toBeLessThanOrEqual(interval.low);
        expect(interval.low).toBeLessThanOrEqual(interval.rate);
        expect(interval.rate).toBeLessThanOrEqual(interval.high);
        expect(interval.high).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('compareProportions (Newcombe hybrid score interval)', () => {
  // Newcombe (1998), "Interval estimation for the difference between independent proportions", Table II,
  // method 10. The paper's four decimals come from z = 1.959964, not the rounded 1.96 (the upper bound of
  // 6/7 − 2/7 is 0.806251 with 1.96, which rounds away from the published 0.8062, and 0.806250 with 1.959964).
  it.each([
    ['56/70 − 48/80', { successes: 56, trials: 70 }, { successes: 48, trials: 80 }, 0.0524, 0.3339, true],
    ['9/10 − 3/10', { successes: 9, trials: 10 }, { successes: 3, trials: 10 }, 0.1705, 0.809, true],
    ['6/7 − 2/7', { successes: 6, trials: 7 }, { successes: 2, trials: 7 }, 0.0582, 0.8062, true],
    ['5/56 − 0/29', { successes: 5, trials: 56 }, { successes: 0, trials: 29 }, -0.0381, 0.1926, false],
    ['0/10 − 0/20', { successes: 0, trials: 10 }, { successes: 0, trials: 20 }, -0.1611, 0.2775, false],
  ])('matches the published interval for %s', (_name, a, b, low, high, significant) => {
    const result = compareProportions(a, b, 1.959964);
    expect(result.difference).toBeCloseTo(a.successes / a.trials - b.successes / b.trials, 10);
    expect(result.low).toBeCloseTo(low, 4);
    expect(result.high).toBeCloseTo(high, 4);
    expect(result.significant).toBe(significant);
  });

  it('is the mirror image when the sides are swapped', () => {
    const forward = compareProportions({ successes: 56, trials: 70 }, { successes: 48, trials: 80 });
    const backward = compareProportions({ successes: 48, trials: 80 }, { successes: 56, trials: 70 });
    expect(backward.low).toBeCloseTo(-forward.high, 12);
    expect(backward.high).toBeCloseTo(-forward.low, 12);
  });

  it('never calls a difference significant against a variant with no trials', () => {
    expect(compareProportions({ successes: 90, trials: 100 }, { successes: 0, trials: 0 })).toMatchObject({ significant: false });
  });

  it('keeps −1 ≤ low ≤ difference ≤ high ≤ 1, and significance means the interval excludes 0 (property)', () => {
    const side = fc.tuple(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 100_000 })).map(([x, y]) => ({ successes: Math.min(x, y), trials: Math.max(x, y) }));
    fc.assert(
      fc.property(side, side, (a, b) => {
        const result = compareProportions(a, b);
        expect(-1).toBeLessThanOrEqual(result.low);
        expect(result.low).toBeLessThanOrEqual(result.difference);
        expect(result.difference).toBeLessThanOrEqual(result.high);
        expect(result.high).toBeLessThanOrEqual(1);
        expect(result.significant).toBe(result.low > 0 || result.high < 0);
      }),
    );
  });
});
