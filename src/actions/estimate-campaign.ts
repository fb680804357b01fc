// estimateCampaign: what a campaign would do if it went out now (who gets a message, now or on later days;
// who is skipped and why; what it costs; how long it takes) from the dispatcher's own decision
// (domain/send-decision.ts) run over the audience as it is now (whatsapp-rules.md §1.1, §7.2, §12). Writes nothing.

import { budgetUsers } from '../domain/messaging-budget.ts';
import { decidedMessageMicroUsd, marketOf, type RateCard } from '../domain/rate-card.ts';
import { decideSend, type SendDecision, type SendDecisionInput } from '../domain/send-decision.ts';
import type { MessagePricing } from '../domain/service-window.ts';
import { templatesOf } from '../domain/campaign-spec.ts';
import type { Contact } from '../domain/contacts.ts';
import { loadCampaignContext, type CampaignContext } from '../dispatch/campaign-context.ts';
import { loadDecisionInputs } from '../dispatch/decision-inputs.ts';
import { AppError } from '../errors.ts';
import type { Clock } from '../lib/clock.ts';
import { launchVariantTemplates } from '../store/campaign-estimate.ts';
import { countAudience, pageAudience } from '../store/campaign-messages.ts';
import { findCampaign } from '../store/campaigns.ts';
import type { Db } from '../store/db.ts';
import { loadPortfolioReach, type PortfolioReach } from '../store/send-context.ts';
import { resolveAudience } from './create-campaign.ts';

export type EstimateCostLine = { market: string; category: MessagePricing['rate']; messages: number; usd: number };

export type EstimateMessagingLimit = {
  /** Meta's limit in unique users per 24 h (null: unlimited); `budget` is the share Greenlight uses (× 0.9, §1.5). */
  usersPer24h: number | null;
  budget: number | null;
  /** Unique contacts the portfolio reached outside a service window in the last 24 h, from every campaign and sender. */
  alreadyReached: number;
  /** This campaign's recipients that would join that count: sent outside a window and not already in it. */
  counting: number;
  /** 24 h windows the counting recipients need; Infinity when the limit is 0 (TIER_NOT_SET: no one can be reached yet). */
  days: number;
};

export type CampaignEstimate = {
  campaignId: number;
  recipients: number;
  /** Decided `send` now, by how they go (step 10). */
  send: { total: number; template: number; session: number };
  skipped: Record<string, number>;
  /** Decided `defer` now, by reason; a deferred message is decided again when its wait ends. */
  deferred: Record<string, number>;
  /** Every message that would be sent now or once its wait ends, priced as if delivered (an upper bound, §7.2). */
  cost: { usd: number; charged: number; free: number; lines: EstimateCostLine[] };
  duration: {
    ratePerSecond: number;
    /** Every message that would be sent, at the campaign's rate, leaving waits aside. */
    sendingSeconds: number;
    messagingLimit: EstimateMessagingLimit;
    /** The longest of: the messaging limit's days, the throughput's, and the longest wait (quiet hours, frequency cap). */
    days: number;
    summary: string;
  };
  evaluatedAt: Date;
  /** The moment decided for: now, or the campaign's planned start when that is later. */
  decidedAt: Date;
};

export type EstimateOptions = { rateCard: RateCard; onProgress?: (done: number, total: number) => void; pageSize?: number };

const DAY_MS = 24 * 60 * 60 * 1000;
/** Waits a deferred message may go through before it sends (min gap, then quiet hours, then …). */
const MAX_WAITS = 4;

type SendOnly = Extract<SendDecision, { kind: 'send' }>;

/** What the pages add up, as they are decided. */
type Tally = {
  recipients: number;
  send: CampaignEstimate['send'];
  skipped: Record<string, number>;
  deferred: Record<string, number>;
  /** Deferred messages that would send once their wait ends. */
  later: number;
  /** The latest moment a deferred message would send. */
  lastSendAt: number;
  /** Counting recipients decided `send` now: the simulated growth of the portfolio's 24 h reach. */
  reachedNow: number;
  counting: number;
  lines: Map<string, { market: string; category: MessagePricing['rate']; messages: number; charged: number; microUsd: number }>;
};

/**
 * The decision runs per contact exactly as in dispatch/send-batch.ts, with the same loaders, over the
 * audience as resolved now, in pages of contact ids. For a launched campaign that is still the whole
 * audience as it is now (not the frozen message rows): what it already sent counts in the frequency cap
 * and the 24 h reach like any other campaign's. A campaign that starts later is decided for its start
 * (quiet hours then, the 24 h reach left by then); all else as known now. Differences from a real run:
 * - Step 8 is simulated: each counting `send` adds one to the reach the next contacts see, so recipients
 *   beyond the budget come out deferred `messaging_limit`. Launch orders recipients by engagement, not
 *   id; which ones wait differs, how many does not (only the count of counting sends matters).
 * - A/B: each contact gets the variant launch would give it (store/campaign-estimate.ts, launch's hash).
 * - Step 9 (pacing, the 6 s pair gap) only moves sends by seconds: it becomes `sendingSeconds`.
 * - Step 11 (budget) is not applied: the summary says when the cost goes over it.
 * - A deferred message is decided again at the end of its wait (for `messaging_limit`: now, with the
 *   limit left aside, since the limit only moves it to another day), so it is priced and counted as
 *   it would go then; one that would be skipped by then costs nothing.
 */
export async function estimateCampaign(deps: { db: Db; clock: Clock }, campaignId: number, options: EstimateOptions): Promise<CampaignEstimate> {
  const { db } = deps;
  const campaign = await findCampaign(db, campaignId);
  if (!campaign) throw new AppError('NOT_FOUND', `no campaign ${campaignId}`);
  const context = await loadCampaignContext(db, campaign);
  const audience = await resolveAudience(db, campaign.spec.audience);
  const total = await countAudience(db, audience);
  const evaluatedAt = deps.clock.now();
  const decidedAt = campaign.startsAt && campaign.startsAt > evaluatedAt ? campaign.startsAt : evaluatedAt;
  const portfolio = context.messagingLimit.usersPer24h === null ? null : await loadPortfolioReach(db, [], decidedAt);
  const tally: Tally = { recipients: 0, send: { total: 0, template: 0, session: 0 }, skipped: {}, deferred: {}, later: 0, lastSendAt: decidedAt.getTime(), reachedNow: 0, counting: 0, lines: new Map() };
  const pageSize = Math.max(1, options.pageSize ?? 1000);
  for (let afterId = 0, done = 0; ; ) {
    const ids = await pageAudience(db, audience, afterId, pageSize);
    if (ids.length === 0) break;
    await decidePage(db, context, options.rateCard, portfolio, decidedAt, ids, tally);
    afterId = ids[ids.length - 1] ?? afterId;
    done += ids.length;
    options.onProgress?.(done, Math.max(total, done));
    if (ids.length < pageSize) break;
  }
  return summarise(context, tally, portfolio?.reachedUsers ?? 0, evaluatedAt, decidedAt);
}

/** One page: the dispatcher's loader (dispatch/decision-inputs.ts), then the decision for each contact in id order. */
async function decidePage(db: Db, context: CampaignContext, card: RateCard, portfolio: PortfolioReach | null, at: Date, ids: readonly number[], tally: Tally): Promise<void> {
  const [inputs, templates] = await Promise.all([
    loadDecisionInputs(db, context, ids, at),
    launchVariantTemplates(db, context.campaign.id, templatesOf(context.spec), ids),
  ]);
  for (const id of ids) {
    const contact = inputs.contacts.get(id);
    if (!contact) continue; // deleted since the page was read
    const template = templates.get(id) ?? context.spec.template;
    const rules = context.rulesByTemplate.get(template);
    if (!rules) throw new Error(`campaign ${context.campaign.id}: no rules for its template "${template}"`);
    const input = inputs.inputFor(contact, rules, {
      usersPer24h: context.messagingLimit.usersPer24h,
      safetyMargin: context.messagingLimit.safetyMargin,
      reachedUsers: (portfolio?.reachedUsers ?? 0) + tally.reachedNow,
      contactAlreadyCounted: inputs.reach?.counted.has(id) ?? false,
      // The first simulated send starts the window when nothing else is in it, so the next slot frees a day later.
      oldestCountedAt: portfolio?.oldestCountedAt ?? (tally.reachedNow > 0 ? at : null),
    });
    tally.recipients += 1;
    record(tally, card, contact, input, decideSend(input, at), at);
  }
}

function record(tally: Tally, card: RateCard, contact: Contact, input: SendDecisionInput, decision: SendDecision, at: Date): void {
  if (decision.kind === 'skip') {
    tally.skipped[decision.reason] = (tally.skipped[decision.reason] ?? 0) + 1;
    return;
  }
  if (decision.kind === 'send') {
    tally.send.total += 1;
    tally.send[decision.via] += 1;
    if (decision.countsAgainstMessagingLimit) {
      tally.reachedNow += 1;
      tally.counting += 1;
    }
    price(tally, card, contact, decision, at);
    return;
  }
  tally.deferred[decision.reason] = (tally.deferred[decision.reason] ?? 0) + 1;
  const later = afterWaiting(input, decision, at);
  if (later === null) return;
  tally.later += 1;
  if (later.decision.countsAgainstMessagingLimit) tally.counting += 1;
  tally.lastSendAt = Math.max(tally.lastSendAt, later.at.getTime());
  price(tally, card, contact, later.decision, later.at);
}

/** The decision again once the wait ends, the messaging limit left aside (it spreads sends over days, it does not stop them). */
function afterWaiting(input: SendDecisionInput, deferred: Extract<SendDecision, { kind: 'defer' }>, at: Date): { decision: SendOnly; at: Date } | null {
  const unlimited: SendDecisionInput = { ...input, messagingBudget: { ...input.messagingBudget, usersPer24h: null } };
  let when = deferred.reason === 'messaging_limit' ? at : deferred.until;
  for (let wait = 0; wait < MAX_WAITS; wait += 1) {
    const decision = decideSend(unlimited, when);
    if (decision.kind === 'send') return { decision, at: when };
    if (decision.kind === 'skip') return null;
    when = decision.until;
  }
  return null;
}

/** The dispatcher's price of one message (rate-card.ts decidedMessageMicroUsd), grouped by market and rate. */
function price(tally: Tally, card: RateCard, contact: Contact, decision: SendOnly, at: Date): void {
  const market = marketOf(card, contact.country);
  const { rate, charged } = decision.pricing;
  const microUsd = decidedMessageMicroUsd(card, contact.country, decision.pricing, at);
  const key = `${market}|${rate}`;
  const line = tally.lines.get(key) ?? { market, category: rate, messages: 0, charged: 0, microUsd: 0 };
  line.messages += 1;
  line.charged += charged ? 1 : 0;
  line.microUsd += microUsd;
  tally.lines.set(key, line);
}

function summarise(context: CampaignContext, tally: Tally, alreadyReached: number, evaluatedAt: Date, decidedAt: Date): CampaignEstimate {
  const lines = [...tally.lines.values()].sort((a, b) => a.market.localeCompare(b.market) || a.category.localeCompare(b.category));
  const charged = lines.reduce((sum, line) => sum + line.charged, 0);
  const messages = lines.reduce((sum, line) => sum + line.messages, 0);
  const sending = tally.send.total + tally.later;
  const usersPer24h = context.messagingLimit.usersPer24h;
  const budget = budgetUsers(context.messagingLimit);
  const messagingLimit: EstimateMessagingLimit = { usersPer24h, budget, alreadyReached, counting: tally.counting, days: limitDays(tally.counting, budget, alreadyReached, sending) };
  const sendingSeconds = sending / context.rate;
  const waitDays = Math.ceil((tally.lastSendAt - decidedAt.getTime()) / DAY_MS);
  const days = sending === 0 ? 0 : Math.max(1, messagingLimit.days, Math.ceil(sendingSeconds / 86_400), waitDays);
  const estimate: CampaignEstimate = {
    campaignId: context.campaign.id,
    recipients: tally.recipients,
    send: tally.send,
    skipped: tally.skipped,
    deferred: tally.deferred,
    cost: { usd: lines.reduce((sum, line) => sum + line.microUsd, 0) / 1e6, charged, free: messages - charged, lines: lines.map(({ market, category, messages: count, microUsd }) => ({ market, category, messages: count, usd: microUsd / 1e6 })) },
    duration: { ratePerSecond: context.rate, sendingSeconds, messagingLimit, days, summary: '' },
    evaluatedAt,
    decidedAt,
  };
  estimate.duration.summary = describeEstimate(estimate, { budgetUsd: context.spec.budget?.usd ?? null });
  return estimate;
}

/**
 * §12: large campaigns spread over days. One day when every counting recipient fits in what is left of
 * today's budget, else one more day per full budget; a budget of 0 never frees.
 */
function limitDays(counting: number, budget: number | null, alreadyReached: number, sending: number): number {
  if (sending === 0) return 0;
  if (budget === null || counting === 0) return 1;
  const room = Math.max(0, budget - alreadyReached);
  if (counting <= room) return 1;
  if (budget === 0) return Number.POSITIVE_INFINITY;
  return 1 + Math.ceil((counting - room) / budget);
}

// ---- The summary a business owner reads -------------------------------------------------------------

// Read after a count: "3 opted out, 1 on a US number (…)".
const SKIPPED_WORDS: Record<string, string> = {
  invalid_number: 'with an invalid number', not_mobile: 'not on a mobile number', suppressed_undeliverable: 'not on WhatsApp', suppressed_blocked: 'blocked the business', suppressed_erased: 'erased at their request',
  no_consent: 'without consent on record', opted_out: 'opted out', marketing_stopped: 'stopped marketing messages',
  us_marketing: 'on a US number (WhatsApp delivers no marketing there)', country_not_allowed: 'in a country not allowed',
  no_approved_template: 'with no approved template in their language', frequency_cap: 'over the frequency cap', same_template_recently: 'got this template recently',
};
const WAIT_WORDS: Record<string, string> = {
  quiet_hours: 'once their quiet hours end', frequency_cap: 'once the frequency cap allows', min_gap: 'after the minimum gap between messages', marketing_cap: "after Meta's 24 h per-user marketing cap",
};

const count = (value: number) => value.toLocaleString('en-US');
const plural = (value: number, word: string) => `${count(value)} ${word}${value === 1 ? '' : 's'}`;
const words = (reason: string) => reason.replaceAll('_', ' ');
const dollars = (usd: number) => usd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function about(seconds: number): string {
  if (seconds < 1) return 'under a second';
  if (seconds < 90) return `about ${Math.round(seconds)} s`;
  if (seconds < 90 * 60) return `about ${Math.round(seconds / 60)} min`;
  const hours = seconds / 3600;
  return `about ${hours < 10 ? hours.toFixed(1) : Math.round(hours)} h`;
}

/** E.g. "12,400 recipients: …; limit 2,000/24 h … after other campaigns (1,100 already reached) → 7 days. Sending takes about 3 min at 64 msg/s. …" */
function describeEstimate(estimate: CampaignEstimate, options: { budgetUsd: number | null }): string {
  const { send, deferred, skipped, cost, duration } = estimate;
  const sentences: string[] = [];
  if (estimate.decidedAt > estimate.evaluatedAt) sentences.push(`Estimated for its start at ${estimate.decidedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC.`);
  const willGet = cost.charged + cost.free;
  const parts = [send.total > 0 ? `${count(send.total)} now` : null, ...Object.entries(deferred).map(([reason, n]) => (reason === 'messaging_limit' ? `${count(n)} on later days (messaging limit)` : `${count(n)} ${WAIT_WORDS[reason] ?? `later (${words(reason)})`}`))];
  let first = `${plural(estimate.recipients, 'recipient')}: ${count(willGet)} would get the message`;
  if (Object.keys(deferred).length > 0) first += ` (${parts.filter((part) => part !== null).join(', ')})`;
  const skips = Object.entries(skipped).sort((a, b) => b[1] - a[1]);
  if (skips.length > 0) first += `; ${count(skips.reduce((sum, [, n]) => sum + n, 0))} skipped (${skips.map(([reason, n]) => `${count(n)} ${SKIPPED_WORDS[reason] ?? words(reason)}`).join(', ')})`;
  sentences.push(`${first}.`);
  if (willGet > 0) {
    sentences.push(limitSentence(duration.messagingLimit));
    if (duration.days > duration.messagingLimit.days && duration.days > 1) sentences.push(`Waiting messages stretch it to ${plural(duration.days, 'day')}.`);
    sentences.push(`Sending takes ${about(duration.sendingSeconds)} at ${Number(duration.ratePerSecond.toFixed(2))} msg/s.`);
    sentences.push(`Estimated cost: ${dollars(cost.usd)} USD for ${plural(cost.charged, 'charged message')}${cost.free > 0 ? ` (${count(cost.free)} free)` : ''}, if every message is delivered.`);
    if (options.budgetUsd !== null && cost.usd > options.budgetUsd) sentences.push(`That is over the campaign's budget of ${dollars(options.budgetUsd)} USD: it pauses when it reaches it.`);
  }
  return sentences.join(' ');
}

function limitSentence(limit: EstimateMessagingLimit): string {
  if (limit.usersPer24h === null || limit.budget === null) return 'The portfolio has no messaging limit.';
  if (limit.counting === 0) return `No one counts against the messaging limit of ${count(limit.usersPer24h)}/24 h (all are inside a service window or already reached today).`;
  if (limit.budget === 0) return `The portfolio's messaging limit is not set yet: the ${count(limit.counting)} recipients outside a service window wait until Meta sets one.`;
  return `Limit ${count(limit.usersPer24h)}/24 h (Greenlight uses ${count(limit.budget)}) after other campaigns (${count(limit.alreadyReached)} already reached), ${count(limit.counting)} of them counting → ${plural(limit.days, 'day')}.`;
}
