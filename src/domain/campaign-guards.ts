// Owns a campaign's own breakers (opt-out, failure and block-signal rates over a sliding window) and the
// canary decision (wait for the first wave to settle, then continue or stop it), each with a reason a
// person can read and what to do to resume. Pure: the caller counts in SQL and passes `now`.
import { assertNever } from '../lib/assert-never.ts';
import { formatDuration } from './frequency-cap.ts';

/**
 * Rates are fractions (0.02 = 2 %) of the messages sent in the window. A rate trips only when it is
 * strictly above its threshold ("over its threshold", product.md), so exactly 1 opt-out in 50 with a
 * 2 % threshold does not. `minSample` is the fewest sent messages before any rate is judged.
 */
export type GuardThresholds = { optOutRate: number; failureRate: number; blockSignalRate: number; minSample: number };

/**
 * Meta publishes no figure for any of these: quality is rated on "blocks, reports, mutes, archives"
 * over 7 days, weighted by recency, and can change "within minutes" on busy numbers (§8.4); a template
 * is paused past an "unspecified threshold" of bad feedback (§4.1). The defaults are Greenlight's
 * choice, strictest where Meta's signal is most direct:
 * - blockSignalRate 1 %: blocks and reports are exactly what lowers the number's and the template's
 *   quality (§8.4, §4.1); a RED rating pauses the template (3 h, 6 h, then DISABLED, §0).
 * - optOutRate 2 %: an opt-out is a person saying the message was unwanted (§8.2). An opted-in audience
 *   that "should expect the messages" (§8.1) rarely gets near it, and people who do not bother to opt
 *   out tend to block instead, so a high opt-out rate predicts the block signals above.
 * - failureRate 10 %: terminal failures at this rate mean stale audience data (131026 "do not hammer")
 *   or a limit being hit (131049, §3.2, §8.3); it leaves room for the few numbers of an imported list
 *   that are not on WhatsApp. Retries that are still running are not failures.
 * - minSample 50: below it one person moves a rate by more than 2 points. At 50, one opt-out (2 %)
 *   does not trip and a second (4 %) does.
 */
export const DEFAULT_GUARD_THRESHOLDS: GuardThresholds = { optOutRate: 0.02, failureRate: 0.1, blockSignalRate: 0.01, minSample: 50 };

/**
 * Counts over one window (the caller counts in SQL). `sent` is every message of the campaign that went
 * to Meta in the window, whatever became of it, and is the denominator of every rate: a failed message
 * counts in both `sent` and `failed`. `blockSignals` are recipients who blocked or reported the business.
 */
export type WindowCounts = { sent: number; optedOut: number; failed: number; blockSignals: number };

export type CampaignGuard = 'opt_out_rate' | 'failure_rate' | 'block_signal_rate';

export type GuardTrip = { kind: 'trip'; guard: CampaignGuard; rate: number; threshold: number; detail: string; action: string };
export type GuardOutcome = { kind: 'ok' } | GuardTrip;

/**
 * Judges the window. When several rates are over their thresholds, the one reported is the most
 * damaging to the account: block signals (Meta's own quality input, §8.4), then opt-outs (which precede
 * blocks), then failures. `windowMs`, when given, is named in the detail ("in the last 15 min").
 */
export function evaluateCampaignGuards(campaignId: number, counts: WindowCounts, thresholds: GuardThresholds, windowMs?: number): GuardOutcome {
  const scope = windowMs === undefined ? 'in the current window' : `in the last ${formatDuration(windowMs)}`;
  return judge(campaignId, counts, thresholds, scope);
}

/** The first canary wave: `size` messages, then `holdMs` of waiting for signals, judged by `thresholds`. */
export type CanaryPlan = { size: number; holdMs: number; thresholds: GuardThresholds };

/** The canary wave's counts; `settledAt` is when its last message reached Meta, null while some are still pending. */
export type CanaryWave = WindowCounts & { settledAt: Date | null };

export type CanaryDecision =
  | { kind: 'wait'; until: Date | null; detail: string }
  | { kind: 'continue' }
  | { kind: 'stop'; guard: CampaignGuard; rate: number; threshold: number; detail: string; action: string };

/**
 * Meta's advice for a new template or portfolio: send a small batch, "wait for the quality signals
 * (≈1 h), then ramp up" (§12). Opt-outs and blocks come from people reading the message, so they lag
 * the send; an hour catches most of them while the campaign is still small.
 */
export const DEFAULT_CANARY_HOLD_MS = 60 * 60 * 1_000;

/**
 * Waits until the whole wave has reached Meta (`until` null: no known moment) and then `holdMs` more,
 * then judges the wave. The sample floor is min(thresholds.minSample, plan.size), so a 20-person canary
 * is judged at all; in one that small a single opt-out or block stops it, which is the point of a
 * canary: a person looks before thousands more receive it. A wave with fewer sent messages than the floor
 * (most of it skipped) is not judged and continues; the campaign's sliding-window breakers still watch
 * every later wave.
 */
export function decideCanary(campaignId: number, plan: CanaryPlan, wave: CanaryWave, now: Date): CanaryDecision {
  const hold = formatDuration(plan.holdMs);
  if (wave.settledAt === null) {
    return { kind: 'wait', until: null, detail: `the canary wave is still being sent (${wave.sent} of ${plan.size} reached Meta so far); it is judged ${hold} after the last one` };
  }
  const until = new Date(wave.settledAt.getTime() + plan.holdMs);
  if (now.getTime() < until.getTime()) {
    return {
      kind: 'wait',
      until,
      detail: `the canary wave of ${wave.sent} reached Meta at ${wave.settledAt.toISOString()}; waiting ${hold} for opt-outs, failures and blocks before judging it at ${until.toISOString()}`,
    };
  }
  const thresholds = { ...plan.thresholds, minSample: Math.min(plan.thresholds.minSample, plan.size) };
  const outcome = judge(campaignId, wave, thresholds, 'in the canary wave');
  if (outcome.kind === 'ok') return { kind: 'continue' };
  return { kind: 'stop', guard: outcome.guard, rate: outcome.rate, threshold: outcome.threshold, detail: `canary stopped: ${outcome.detail}`, action: outcome.action };
}

/** Default canary: 2 % of the audience, at least 20 people, at most 1,000 (see canarySize). */
export const CANARY_SHARE = 0.02;
export const CANARY_MIN_SIZE = 20;
export const CANARY_MAX_SIZE = 1_000;

/**
 * How many recipients the canary wave has. A requested size is taken as asked, clamped to the
 * audience (0 means no canary). The default is 2 % of the audience, at least 20 so that the wave can be
 * judged (decideCanary), at most 1,000: enough to measure a 2 % opt-out rate to within about a point
 * (ab-stats.ts wilsonInterval: 20 in 1,000 is 1.3–3.1 %), and few enough people if the template is bad.
 * Never more than the audience.
 */
export function canarySize(audience: number, requested: number | null): number {
  const total = wholeAtLeastZero(audience);
  if (requested !== null) return Math.min(total, wholeAtLeastZero(requested));
  return Math.min(total, CANARY_MAX_SIZE, Math.max(CANARY_MIN_SIZE, Math.ceil(total * CANARY_SHARE)));
}

function wholeAtLeastZero(value: number): number {
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

type GuardCheck = { guard: CampaignGuard; count: (counts: WindowCounts) => number; threshold: (t: GuardThresholds) => number; who: string; what: string };

// In reporting order: the most damaging signal first (see evaluateCampaignGuards).
const CHECKS: readonly GuardCheck[] = [
  { guard: 'block_signal_rate', count: (c) => c.blockSignals, threshold: (t) => t.blockSignalRate, who: 'recipients', what: 'blocked or reported the business' },
  { guard: 'opt_out_rate', count: (c) => c.optedOut, threshold: (t) => t.optOutRate, who: 'recipients', what: 'opted out' },
  { guard: 'failure_rate', count: (c) => c.failed, threshold: (t) => t.failureRate, who: 'messages', what: 'failed' },
];

function judge(campaignId: number, counts: WindowCounts, thresholds: GuardThresholds, scope: string): GuardOutcome {
  if (counts.sent <= 0 || counts.sent < thresholds.minSample) return { kind: 'ok' };
  for (const check of CHECKS) {
    const count = check.count(counts);
    const threshold = check.threshold(thresholds);
    // Division, not count > threshold × sent: 0.29 × 100 is 28.999…, which would trip exactly at the threshold.
    const rate = count / counts.sent;
    if (rate > threshold) {
      const detail = `${count} of ${counts.sent} ${check.who} (${ratePercent(rate, threshold)}) ${check.what} ${scope}; the limit is ${percent(threshold, 2)}`;
      return { kind: 'trip', guard: check.guard, rate, threshold, detail, action: resumeAction(check.guard, campaignId) };
    }
  }
  return { kind: 'ok' };
}

function resumeAction(guard: CampaignGuard, campaignId: number): string {
  const resume = `greenlight campaigns resume ${campaignId}`;
  switch (guard) {
    case 'block_signal_rate':
      return `check the sender's quality rating in WhatsApp Manager first (blocks and reports lower it and can pause the template), review the audience's consent and whether the message is worth receiving, then run ${resume}`;
    case 'opt_out_rate':
      return `review the audience (did these people opt in to this kind of message?) and the template's value to them, then run ${resume}`;
    case 'failure_rate':
      return `look at the failure codes in the campaign's report (numbers not on WhatsApp, Meta's per-user limits, a template problem), fix the cause, then run ${resume}`;
    default:
      return assertNever(guard, 'campaign guard');
  }
}

/** A rate shown beside its threshold gets as many decimals as it needs not to read as equal to it (2.01 %, not 2 %). */
function ratePercent(rate: number, threshold: number): string {
  let decimals = 1;
  while (decimals < 4 && percent(rate, decimals) === percent(threshold, decimals)) decimals += 1;
  return percent(rate, decimals);
}

function percent(fraction: number, decimals: number): string {
  const fixed = (fraction * 100).toFixed(decimals);
  const trimmed = fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
  return `${trimmed} %`;
}
