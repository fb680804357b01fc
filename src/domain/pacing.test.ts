// Pins decision step 9, pacing (product.md): the sender's mps (whatsapp-rules.md §2), the campaign's share
// of it, the 6 s pair gap, and that slots spaced by slotIntervalMs keep every 1 s window Meta counts at or
// under the rate while still using nearly all of it. Pure unit tests.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PACING_MARGIN, PAIR_GAP_MS, campaignRate, pairGapUntil, senderMps, slotIntervalMs } from './pacing.ts';

describe('senderMps', () => {
  it.each([
    ['HIGH', 1000],
    ['high', 1000],
    ['STANDARD', 80],
    [null, 80],
    ['NOT_APPLICABLE', 80],
    ['SOMETHING_NEW', 80],
  ])('gives a sender with throughput %s %i messages per second', (level, mps) => {
    expect(senderMps(level)).toBe(mps);
  });
});

describe('campaignRate', () => {
  it.each<[string, string | null, number, number | null, number]>([
    ['the share of a standard sender', 'STANDARD', 0.9, null, 72],
    ['the share of a high-throughput sender', 'HIGH', 0.5, null, 500],
    ['the campaign’s own rate when it is lower than the share', 'STANDARD', 0.9, 10, 10],
    ['the share when the campaign asks for more', 'STANDARD', 0.9, 500, 72],
  ])('sends at %s', (_name, level, share, own, expected) => {
    expect(campaignRate(level, share, own)).toBe(expected);
  });

  it.each([
    ['a share of 0', 'STANDARD', 0, null],
    ['a tiny campaign rate', 'STANDARD', 0.9, 0.001],
  ])('never stops a campaign at rate 0 (%s still sends at 0.1 mps)', (_name, level, share, own) => {
    expect(campaignRate(level, share, own)).toBe(0.1);
  });

  it('never exceeds the sender’s share or the campaign’s own rate, and is always positive', () => {
    fc.assert(
      fc.property(fc.constantFrom('HIGH', 'STANDARD', null), fc.double({ min: 0, max: 1, noNaN: true }), fc.option(fc.double({ min: 0.001, max: 1000, noNaN: true })), (level, share, own) => {
        const rate = campaignRate(level, share, own);
        expect(rate).toBeGreaterThan(0);
        expect(rate).toBe(Math.max(0.1, Math.min(senderMps(level) * share, own ?? Infinity)));
      }),
    );
  });
});

describe('pairGapUntil', () => {
  const now = new Date('2026-06-10T12:00:00Z');
  const ago = (ms: number) => new Date(now.getTime() - ms);

  it('is 6 s, Meta’s one message per 6 s to one user (§2)', () => {
    expect(PAIR_GAP_MS).toBe(6_000);
  });

  it('lets a contact who never got a message from the sender get one now', () => {
    expect(pairGapUntil(null, now)).toBeNull();
  });

  it('holds the next message until 6 s after the last one', () => {
    expect(pairGapUntil(ago(2_000), now)).toEqual(new Date(now.getTime() + 4_000));
  });

  it('lets the message go exactly 6 s after the last one, and later', () => {
    expect(pairGapUntil(ago(6_000), now)).toBeNull();
    expect(pairGapUntil(ago(60_000), now)).toBeNull();
  });
});

/** The slot times the dispatcher sleeps until: start + i × interval, as a Date (whole milliseconds). */
function slots(rate: number, start: number, durationMs: number): number[] {
  const interval = slotIntervalMs(rate);
  const times: number[] = [];
  for (let i = 0; i * interval <= durationMs; i++) times.push(new Date(start + i * interval).getTime());
  return times;
}

/** The most slots in any closed window [t, t + windowMs] (a window starting on a slot holds the most). */
function mostInWindow(times: readonly number[], windowMs: number): number {
  let most = 0;
  let end = 0;
  for (let first = 0; first < times.length; first++) {
    while (end < times.length && times[end]! <= times[first]! + windowMs) end++;
    most = Math.max(most, end - first);
  }
  return most;
}

/**
 * The fewest slots in any window [t, t + windowMs) that lies inside the sequence. The emptiest windows
 * start just after a slot, so each candidate holds the slots in (times[i], times[i] + windowMs].
 */
function fewestInWindow(times: readonly number[], windowMs: number): number {
  let fewest = Infinity;
  let end = 0;
  for (let first = 0; first < times.length && times[first]! + windowMs <= times.at(-1)!; first++) {
    while (end < times.length && times[end]! <= times[first]! + windowMs) end++;
    fewest = Math.min(fewest, end - first - 1);
  }
  return fewest;
}

describe('slotIntervalMs and PACING_MARGIN', () => {
  it('spaces slots for 97 % of the rate (80 mps: one every 12.89 ms)', () => {
    expect(PACING_MARGIN).toBe(0.97);
    expect(slotIntervalMs(80)).toBeCloseTo(1000 / 77.6, 10);
  });

  it('puts at most R messages in any 1 s window for any whole rate R (Meta counts whole messages)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: 10_000_000 }), (rate, start) => {
        expect(mostInWindow(slots(rate, start, 5_000), 1_000)).toBeLessThanOrEqual(rate);
      }),
    );
  });

  it('never puts more than the rate rounded up in any 1 s window, for any rate from 0.1 to 1,000 mps', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.1, max: 1000, noNaN: true }), fc.integer({ min: 0, max: 10_000_000 }), (rate, start) => {
        expect(mostInWindow(slots(rate, start, Math.max(5_000, 3 * slotIntervalMs(rate))), 1_000)).toBeLessThanOrEqual(Math.ceil(rate));
      }),
    );
  });

  it('still sends at least 96 % of the rate in any 10 s window (rates of 10 mps and up)', () => {
    fc.assert(
      fc.property(fc.double({ min: 10, max: 1000, noNaN: true }), fc.integer({ min: 0, max: 10_000_000 }), (rate, start) => {
        const times = slots(rate, start, 12_000);
        expect(fewestInWindow(times, 10_000)).toBeGreaterThanOrEqual(0.96 * rate * 10);
      }),
      { numRuns: 50 },
    );
  });

  it('sends the margin’s share (97 %) of the rate over a long run at any rate, however low', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.1, max: 1000, noNaN: true }), (rate) => {
        const duration = 1000 * slotIntervalMs(rate);
        const times = slots(rate, 0, duration);
        expect((times.length - 1) / (duration / 1000)).toBeCloseTo(rate * PACING_MARGIN, 6);
      }),
    );
  });
});
