// Pins the funnel's shaping: every rate is a share of `sent` with a Wilson interval, and an A/B test
// lists its variants in the document's order, compares each with the first, and flags real differences.
import { describe, expect, it } from 'vitest';
import { wilsonInterval } from './ab-stats.ts';
import { compareVariants, emptyFunnelCounts, funnelLine, funnelRates, OPT_OUT_ATTRIBUTION_WINDOW_MS, REPLY_ATTRIBUTION_WINDOW_MS, type FunnelCounts } from './campaign-funnel.ts';

const counts = (given: Partial<FunnelCounts>): FunnelCounts => ({ ...emptyFunnelCounts(), ...given });

describe('attribution windows', () => {
  it('credits replies for 72 h and opt-outs for 7 days after a send', () => {
    expect(REPLY_ATTRIBUTION_WINDOW_MS).toBe(72 * 3_600_000);
    expect(OPT_OUT_ATTRIBUTION_WINDOW_MS).toBe(7 * 24 * 3_600_000);
  });
});

describe('funnelRates', () => {
  it.each([
    ['delivered', 90],
    ['read', 60],
    ['replied', 12],
    ['optedOut', 2],
    ['clicked', 7],
  ] as const)('gives %s as a share of sent with its Wilson interval', (key, successes) => {
    const rates = funnelRates(counts({ sent: 100, [key]: successes }));
    expect(rates[key]).toEqual(wilsonInterval(successes, 100));
    expect(rates[key].rate).toBe(successes / 100);
  });

  it('uses sent, not delivered, as the read denominator (Meta may report read without delivered)', () => {
    expect(funnelRates(counts({ sent: 10, delivered: 0, read: 5 })).read.rate).toBe(0.5);
  });

  it('knows nothing before anything is sent: rate 0, interval [0, 1]', () => {
    expect(funnelRates(counts({ targeted: 50, pending: 50 })).replied).toEqual({ rate: 0, low: 0, high: 1 });
  });

  it('keeps the counts it was given beside the rates', () => {
    const given = counts({ sent: 3, read: 1 });
    expect(funnelLine(given).counts).toBe(given);
  });
});

describe('compareVariants', () => {
  it('is null when the campaign has no named variants', () => {
    expect(compareVariants([], [])).toBeNull();
  });

  it('lists variants in the document’s order, then unknown ones by name, and compares each with the first', () => {
    const result = compareVariants(
      [
        { name: 'B', counts: counts({ sent: 100, read: 50 }) },
        { name: 'Z', counts: counts({ sent: 10 }) },
        { name: 'A', counts: counts({ sent: 100, read: 40 }) },
      ],
      ['A', 'B'],
    );
    expect(result?.baseline).toBe('A');
    expect(result?.variants.map((variant) => variant.name)).toEqual(['A', 'B', 'Z']);
    expect(result?.variants[0]?.versusBaseline).toBeNull();
    expect(result?.variants[1]?.versusBaseline?.read.difference).toBeCloseTo(0.1, 10);
  });

  it('shows a variant that has no messages yet with zero counts and an interval of [0, 1]', () => {
    const result = compareVariants([{ name: 'A', counts: counts({ sent: 20, replied: 2 }) }], ['A', 'B']);
    const b = result?.variants.find((variant) => variant.name === 'B');
    expect(b?.counts.sent).toBe(0);
    expect(b?.rates.replied).toEqual({ rate: 0, low: 0, high: 1 });
    expect(b?.versusBaseline?.replied.significant).toBe(false);
  });

  it.each([
    ['a 2 % vs 10 % reply rate on 1,000 each is significant', 1_000, 20, 100, true],
    ['a 2 % vs 4 % reply rate on 50 each is not', 50, 1, 2, false],
    ['identical rates are not', 500, 25, 25, false],
  ])('%s', (_name, sent, baselineReplies, variantReplies, significant) => {
    const result = compareVariants(
      [
        { name: 'A', counts: counts({ sent, replied: baselineReplies }) },
        { name: 'B', counts: counts({ sent, replied: variantReplies }) },
      ],
      ['A', 'B'],
    );
    const difference = result?.variants[1]?.versusBaseline?.replied;
    expect(difference?.significant).toBe(significant);
    expect(difference!.low).toBeLessThanOrEqual(difference!.difference);
    expect(difference!.high).toBeGreaterThanOrEqual(difference!.difference);
  });

  it('compares read, reply, opt-out and click rates', () => {
    const result = compareVariants([{ name: 'A', counts: counts({ sent: 5 }) }, { name: 'B', counts: counts({ sent: 5 }) }], ['A', 'B']);
    expect(Object.keys(result?.variants[1]?.versusBaseline ?? {})).toEqual(['read', 'replied', 'optedOut', 'clicked']);
  });
});
