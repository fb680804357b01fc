// Owns A/B arithmetic: whether two variants' rates really differ (Wilson and Newcombe intervals).
// Variants are assigned set-based at launch (store/campaign-messages.ts, a hash of campaign and contact). Pure.

export type RateInterval = { rate: number; low: number; high: number };

/**
 * The observed rate and its Wilson score interval (z = 1.96: 95 %). Wilson, not the textbook
 * p ± z·√(p(1−p)/n), because campaign rates (opt-outs, replies) are often near 0: the plain formula
 * then gives a zero-width interval at 0 successes and limits below 0, while Wilson stays inside [0, 1]
 * and keeps good coverage for small samples. No trials means nothing is known: rate 0, interval [0, 1].
 * `successes` is clamped to [0, trials].
 */
export function wilsonInterval(successes: number, trials: number, z = 1.96): RateInterval {
  if (!(trials > 0)) return { rate: 0, low: 0, high: 1 };
  const hits = Math.min(trials, Math.max(0, successes));
  const rate = hits / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (rate + z2 / (2 * trials)) / denominator;
  const halfWidth = (z / denominator) * Math.sqrt((rate * (1 - rate)) / trials + z2 / (4 * trials * trials));
  // Rounding can put a bound a hair outside [0, 1] or past the rate at 0 or n successes; clamp it back.
  return { rate, low: Math.min(rate, Math.max(0, centre - halfWidth)), high: Math.max(rate, Math.min(1, centre + halfWidth)) };
}

export type Proportion = { successes: number; trials: number };
export type ProportionDifference = { difference: number; low: number; high: number; significant: boolean };

/**
 * The difference of two rates, a − b, with Newcombe's hybrid score interval (Newcombe 1998, method 10:
 * built from each side's Wilson interval). It is used instead of the normal approximation
 * d ± z·√(pa(1−pa)/na + pb(1−pb)/nb) for the same reason as Wilson above: A/B rates of a few percent
 * on a few hundred recipients are where the plain formula is too narrow and claims differences that are
 * not there. `significant` is true when the interval excludes 0, at the level z gives (two-sided 95 %
 * for 1.96). A side with no trials has the interval [0, 1], so nothing is significant against it.
 */
export function compareProportions(a: Proportion, b: Proportion, z = 1.96): ProportionDifference {
  const first = wilsonInterval(a.successes, a.trials, z);
  const second = wilsonInterval(b.successes, b.trials, z);
  const difference = first.rate - second.rate;
  const below = Math.hypot(first.rate - first.low, second.high - second.rate);
  const above = Math.hypot(first.high - first.rate, second.rate - second.low);
  const low = Math.max(-1, difference - below);
  const high = Math.min(1, difference + above);
  return { difference, low, high, significant: low > 0 || high < 0 };
}
