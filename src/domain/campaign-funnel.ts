// Owns the campaign funnel's arithmetic: which replies and opt-outs a message is credited with (the
// attribution windows), and turning counts into rates with intervals and A/B comparisons. Pure: the
// counting itself is SQL in store/campaign-report.ts.

import { compareProportions, wilsonInterval, type ProportionDifference, type RateInterval } from './ab-stats.ts';

const HOUR_MS = 60 * 60 * 1000;

/**
 * A reply counts for a campaign message when it arrives within 72 h of the send. Why 72 h: almost all
 * replies to a broadcast come within the first day or two (people react to the notification), and
 * 72 h is the longest window Meta itself ties to one business message (the free entry point window,
 * whatsapp-rules.md §7.1), so a campaign is credited with no longer a horizon than Meta uses. Longer
 * would credit it with ordinary support traffic and with the next campaign's replies.
 */
export const REPLY_ATTRIBUTION_WINDOW_MS = 72 * HOUR_MS;

/**
 * An opt-out counts against a message when it comes within 7 days of the send: people often unsubscribe
 * from the next look at the chat rather than at once, and 7 days matches the default frequency-cap
 * window (campaign-spec.ts), the horizon over which the engine already reasons about "too much".
 */
export const OPT_OUT_ATTRIBUTION_WINDOW_MS = 7 * 24 * HOUR_MS;

/**
 * What happened to a set of campaign messages (a whole campaign, one template/language, one variant).
 * Dispatch side (Greenlight's `dispatch_state`): pending (planned), deferred, inFlight (sending), sent,
 * unknown (may or may not have reached Meta; never resent), skipped, failed (refused at or before the
 * send), cancelled. Meta side (the merged `messages.status` of sent messages): delivered (delivered or
 * read), read, undelivered (accepted, then failed). Engagement is counted on sent messages only, so each
 * is a share of `sent`: replied (a STOP is an opt-out, not a reply), optedOut (after it), clicked
 * (unique recipients). Cost: estimatedUsd (rate card, sent + unknown), actualUsd (rate card, messages
 * Meta's pricing says were charged), billable (how many were charged), priced (how many Meta has said
 * anything about yet).
 */
export type FunnelCounts = {
  targeted: number;
  pending: number;
  deferred: number;
  inFlight: number;
  sent: number;
  unknown: number;
  skipped: number;
  failed: number;
  cancelled: number;
  delivered: number;
  read: number;
  undelivered: number;
  replied: number;
  optedOut: number;
  clicked: number;
  billable: number;
  priced: number;
  estimatedUsd: number;
  actualUsd: number;
};

export const FUNNEL_COUNT_KEYS = [
  'targeted', 'pending', 'deferred', 'inFlight', 'sent', 'unknown', 'skipped', 'failed', 'cancelled',
  'delivered', 'read', 'undelivered', 'replied', 'optedOut', 'clicked', 'billable', 'priced', 'estimatedUsd', 'actualUsd',
] as const satisfies ReadonlyArray<keyof FunnelCounts>;

export function emptyFunnelCounts(): FunnelCounts {
  return Object.fromEntries(FUNNEL_COUNT_KEYS.map((key) => [key, 0])) as FunnelCounts;
}

/** Each engagement step as a share of the messages sent, with its Wilson 95 % interval (ab-stats.ts). */
export type FunnelRates = { delivered: RateInterval; read: RateInterval; replied: RateInterval; optedOut: RateInterval; clicked: RateInterval };

/**
 * The rates of a funnel. Every denominator is `sent`, not the previous step: Meta may report `read`
 * without `delivered` (§6.2), and a reply or an opt-out needs no read receipt (people turn receipts off).
 */
export function funnelRates(counts: FunnelCounts): FunnelRates {
  const of = (successes: number) => wilsonInterval(successes, counts.sent);
  return { delivered: of(counts.delivered), read: of(counts.read), replied: of(counts.replied), optedOut: of(counts.optedOut), clicked: of(counts.clicked) };
}

export type FunnelLine = { counts: FunnelCounts; rates: FunnelRates };

export function funnelLine(counts: FunnelCounts): FunnelLine {
  return { counts, rates: funnelRates(counts) };
}

/** The rates an A/B test compares: what the business learns about which message people value. */
export const COMPARED_RATES = ['read', 'replied', 'optedOut', 'clicked'] as const;
export type ComparedRate = (typeof COMPARED_RATES)[number];

export type VariantLine = FunnelLine & {
  name: string;
  /** This variant's rate minus the baseline's (Newcombe interval); null for the baseline itself. */
  versusBaseline: Record<ComparedRate, ProportionDifference> | null;
};

export type AbResult = { baseline: string; variants: VariantLine[] };

/**
 * Shapes an A/B test: the variants in the order the campaign document lists them (`order`; any others
 * after, by name), one with no messages yet shown with zero counts, and each compared with the first
 * (the baseline). `significant` means the 95 % interval of the difference excludes 0. Null when there
 * are no named variants.
 */
export function compareVariants(measured: ReadonlyArray<{ name: string; counts: FunnelCounts }>, order: readonly string[]): AbResult | null {
  const byName = new Map(measured.map((variant) => [variant.name, variant.counts]));
  const extra = [...byName.keys()].filter((name) => !order.includes(name)).sort();
  const names = [...order, ...extra];
  const [baselineName] = names;
  if (baselineName === undefined) return null;
  const baseline = byName.get(baselineName) ?? emptyFunnelCounts();
  const variants = names.map((name): VariantLine => {
    const counts = byName.get(name) ?? emptyFunnelCounts();
    const versusBaseline = name === baselineName
      ? null
      : (Object.fromEntries(COMPARED_RATES.map((rate) => [rate, compareProportions({ successes: counts[rate], trials: counts.sent }, { successes: baseline[rate], trials: baseline.sent })])) as Record<ComparedRate, ProportionDifference>);
    return { name, ...funnelLine(counts), versusBaseline };
  });
  return { baseline: baselineName, variants };
}
