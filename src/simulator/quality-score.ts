// Quality ratings from negative feedback (whatsapp-rules.md §8.4: "how messages have been received over
// the past 7 days, weighted by recency"): per entity (a business number, a template) a delivered count and
// a negative-signal weight, both decaying with a half-life, and thresholds on their ratio.

export type Rating = 'UNKNOWN' | 'GREEN' | 'YELLOW' | 'RED';

export type QualityModel = {
  /** Half-life of a signal; 2 days leaves a 7-day-old signal about 9% of its weight. */
  halfLifeMs: number;
  /** Below this (decayed) number of delivered messages there is no rating yet: one block is not a verdict. */
  minDelivered: number;
  /**
   * Pseudo-deliveries without complaints added to every ratio, so a single early block is not a verdict:
   * the ratio is negative / (delivered + priorDelivered).
   */
  priorDelivered: number;
  /** Negative weight per delivered message at which the rating becomes YELLOW, then RED. */
  yellowAt: number;
  redAt: number;
};

// Signal weights: a block counts 1; a block with a report counts 3 (a report is the stronger complaint).
export const SIGNAL_WEIGHTS = { block: 1, blockAndReport: 3 } as const;

// With these, one block with a report among 100 deliveries to opted-in people stays GREEN (3 / 150 = 2%),
// while spam to people who never opted in (≈10% block, 40% of them reporting) is RED within the first 100.
export const DEFAULT_QUALITY_MODEL: QualityModel = { halfLifeMs: 2 * 86_400_000, minDelivered: 20, priorDelivered: 50, yellowAt: 0.025, redAt: 0.05 };

type Tally = { delivered: number; negative: number; atMs: number };

export function createQualityScores(model: QualityModel) {
  const tallies = new Map<string, Tally>();

  const decayed = (key: string, nowMs: number): Tally => {
    const tally = tallies.get(key) ?? { delivered: 0, negative: 0, atMs: nowMs };
    const factor = 0.5 ** (Math.max(0, nowMs - tally.atMs) / model.halfLifeMs);
    const next = { delivered: tally.delivered * factor, negative: tally.negative * factor, atMs: nowMs };
    tallies.set(key, next);
    return next;
  };

  return {
    recordDelivered: (key: string, atMs: number) => void (decayed(key, atMs).delivered += 1),
    recordNegative: (key: string, weight: number, atMs: number) => void (decayed(key, atMs).negative += weight),
    reset: (key: string) => void tallies.delete(key),
    rating: (key: string, nowMs: number): Rating => {
      const tally = decayed(key, nowMs);
      if (tally.delivered < model.minDelivered) return 'UNKNOWN';
      const ratio = tally.negative / (tally.delivered + model.priorDelivered);
      return ratio >= model.redAt ? 'RED' : ratio >= model.yellowAt ? 'YELLOW' : 'GREEN';
    },
    snapshot: (key: string, nowMs: number) => {
      const tally = decayed(key, nowMs);
      return { delivered: tally.delivered, negative: tally.negative };
    },
  };
}

export type QualityScores = ReturnType<typeof createQualityScores>;
