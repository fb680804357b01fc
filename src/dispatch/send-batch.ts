// One dispatcher batch of one campaign: claim the next due messages, decide each again right before
// the send (consent, windows, limits change while a campaign runs), take the portfolio's 24 h slots and
// the sender's pacing slots, send, and write every outcome back in one statement.

import { decideSend, type SendDecision } from '../domain/send-decision.ts';
import { pairGapUntil, slotIntervalMs } from '../domain/pacing.ts';
import { decidedMessageMicroUsd, type RateCard } from '../domain/rate-card.ts';
import { budgetUsers, decideMessagingLimit } from '../domain/messaging-budget.ts';
import type { Contact } from '../domain/contacts.ts';
import { fillLinkPlaceholder, trackedUrl } from '../domain/tracked-links.ts';
import { callbackDataFor, claimDueMessages, type ClaimCursor, markSending, renewLeases, unmarkSending, writeOutcomes, type ClaimedMessage, type Lease, type MessageOutcome } from '../store/campaign-messages.ts';
import type { Db } from '../store/db.ts';
import { mergeMessageStatuses } from '../store/message-statuses.ts';
import { backOffSender, reserveSlots } from '../store/sender-pacing.ts';
import { confirmReach, loadPortfolioReach, reserveReach, type RecentMessage } from '../store/send-context.ts';
import { addSuppression } from '../store/suppressions.ts';
import type { Clock } from '../lib/clock.ts';
import type { OutboundMessage, SendResult, WhatsAppApi } from '../ports.ts';
import type { CampaignContext } from './campaign-context.ts';
import { loadDecisionInputs } from './decision-inputs.ts';
import { consequenceOf, type FailureConsequence } from './send-failure.ts';
import { createTrackedLinks } from './tracked-links.ts';

export type BatchSettings = {
  owner: string;
  batchSize: number;
  leaseMs: number;
  /** False only for benchmarks against a loopback mock: no token bucket, no slot reservation. */
  pacing: boolean;
  rateCard: RateCard;
  random: () => number;
  /** Waits until the given moment on the dispatcher's clock (real time in production, simulated in tests). */
  sleepUntil: (at: Date) => Promise<void>;
  /**
   * How late a slot may still be used: later, the send would crowd the next slots (another worker's,
   * perhaps) into one second. 15 ms in production (within pacing.ts's margin); a simulated clock,
   * where other lanes move time while one waits on the database, turns it off.
   */
  lateSlotToleranceMs: number;
  /** serve's public address (GREENLIGHT_PUBLIC_URL) for tracked links; null when not configured. */
  publicUrl: string | null;
};

export type BatchDeps = { db: Db; clock: Clock; whatsapp: WhatsAppApi };

/** What the supervisor acts on after a batch: a pause Meta asked for, and counts for progress. */
export type BatchResult = {
  claimed: number;
  sent: number;
  skipped: number;
  deferred: number;
  failed: number;
  unknown: number;
  pause: { scope: 'campaign' | 'sender' | 'account'; reason: 'breaker' | 'budget'; detail: string; action: string } | null;
};

const EMPTY: BatchResult = { claimed: 0, sent: 0, skipped: 0, deferred: 0, failed: 0, unknown: 0, pause: null };

/** `category` is the template's, recorded on the message for every later campaign's frequency cap. */
type ToSend = { message: ClaimedMessage; contact: Contact; decision: Extract<SendDecision, { kind: 'send' }>; costUsd: number; category: string; linkToken?: string };

/** Where this process's next claim of a campaign starts (claimDueMessages `after`); null: from the start. */
export type ClaimCursors = Map<number, ClaimCursor | null>;

/** A batch's settings with the claim it works under: every write after the claim names it. */
type LeasedSettings = BatchSettings & { lease: Lease };

// Claim tokens of this process: the worker's name tells workers apart, the token a worker's claims.
let lastLeaseToken = 0;

export async function sendBatch(deps: BatchDeps, context: CampaignContext, batchSettings: BatchSettings, spentUsd: { value: number }, cursors: ClaimCursors = new Map()): Promise<BatchResult> {
  const { db, clock } = deps;
  const settings: LeasedSettings = { ...batchSettings, lease: { owner: batchSettings.owner, token: ++lastLeaseToken } };
  const claimedAt = clock.now();
  // Paced, a batch is what the sender may send in about half a second: a crash then leaves at most
  // that many messages claimed and unsent (they become `unknown`, never resent).
  const limit = settings.pacing ? Math.max(1, Math.min(settings.batchSize, Math.ceil(context.rate / 2))) : settings.batchSize;
  // Unpaced, the batch leaves as soon as it is decided: it is claimed straight as `sending`.
  const campaignId = context.campaign.id;
  const claim = (after: ClaimCursor | null) => claimDueMessages(db, { campaignId, lease: settings.lease, limit, leaseMs: settings.leaseMs, as: settings.pacing ? 'queued' : 'sending', after }, claimedAt);
  const after = cursors.get(campaignId) ?? null;
  let claimed = await claim(after);
  // Nothing past the cursor: look once more from the start, for messages given back to the queue.
  if (claimed.length === 0 && after !== null) claimed = await claim(null);
  const last = claimed.at(-1);
  cursors.set(campaignId, last ? { dueAt: last.dueAt, id: last.id } : null);
  if (claimed.length === 0) return EMPTY;
  const outcomes: MessageOutcome[] = [];
  const toSend = await decideBatch(deps, context, settings, claimed, outcomes);
  const result: BatchResult = { ...EMPTY, claimed: claimed.length };
  const budgeted = applyBudget(context, toSend, spentUsd, outcomes);
  const linked = await attachTrackedLinks(deps, context, settings, budgeted.sending, outcomes);
  result.pause = linked.pause ?? budgeted.pause;
  const sending = linked.sending;
  const wamids = await sendAll(deps, context, settings, sending, outcomes, result);
  // With no limit (TIER_UNLIMITED) nothing was reserved, so there is nothing to confirm.
  if (context.messagingLimit.usersPer24h !== null) {
    await confirmReach(db, sending.filter((item) => item.decision.countsAgainstMessagingLimit).map((item) => item.contact.id), clock.now());
  }
  await writeOutcomes(db, settings.lease, outcomes, clock.now());
  await mergeMessageStatuses(db, wamids, clock.now());
  for (const outcome of outcomes) {
    if (outcome.state === 'sent') result.sent += 1;
    else if (outcome.state === 'skipped') result.skipped += 1;
    else if (outcome.state === 'deferred') result.deferred += 1;
    else if (outcome.state === 'failed') result.failed += 1;
    else result.unknown += 1;
  }
  return result;
}

/** Steps 1–8 and 10 for every claimed message from a few batch queries; step 9's pair gap; step 8's reservation. */
async function decideBatch(deps: BatchDeps, context: CampaignContext, settings: BatchSettings, claimed: readonly ClaimedMessage[], outcomes: MessageOutcome[]): Promise<ToSend[]> {
  const now = deps.clock.now();
  const inputs = await loadDecisionInputs(deps.db, context, claimed.map((message) => message.contactId), now);
  const { reach } = inputs;
  const candidates: ToSend[] = [];
  for (const message of claimed) {
    const contact = inputs.contacts.get(message.contactId);
    const rules = context.rulesByTemplate.get(message.templateName);
    if (!contact || !rules) {
      outcomes.push({ id: message.id, state: 'failed', reason: 'internal', detail: !contact ? 'the contact no longer exists' : `the campaign has no template "${message.templateName}"`, errorCode: null, attempted: false });
      continue;
    }
    const decision = decideSend(
      inputs.inputFor(contact, rules, {
        usersPer24h: context.messagingLimit.usersPer24h,
        safetyMargin: context.messagingLimit.safetyMargin,
        reachedUsers: reach?.reachedUsers ?? 0,
        contactAlreadyCounted: reach?.counted.has(contact.id) ?? false,
        oldestCountedAt: reach?.oldestCountedAt ?? null,
      }),
      now,
    );
    if (decision.kind === 'skip') {
      outcomes.push({ id: message.id, state: 'skipped', reason: decision.reason, detail: decision.detail });
      continue;
    }
    if (decision.kind === 'defer') {
      outcomes.push({ id: message.id, state: 'deferred', reason: decision.reason, detail: decision.detail, dueAt: decision.until, attempted: false });
      continue;
    }
    const gapUntil = pairGapUntil(lastFromSender(inputs.recentOf(contact.id), context.sender.id), now);
    if (gapUntil !== null) {
      outcomes.push({ id: message.id, state: 'deferred', reason: 'pair_gap', detail: 'this sender messaged the contact less than 6 s ago (§2: one message per 6 s per user)', dueAt: gapUntil, attempted: false });
      continue;
    }
    candidates.push({ message, contact, decision, costUsd: costOf(settings.rateCard, contact, decision, now), category: rules.category });
  }
  return reserveMessagingLimit(deps, context, candidates, outcomes, now);
}

/** Step 8 held across workers: contacts that would be new in the 24 h set take a slot, or wait for one. */
async function reserveMessagingLimit(deps: BatchDeps, context: CampaignContext, candidates: ToSend[], outcomes: MessageOutcome[], now: Date): Promise<ToSend[]> {
  const counting = candidates.filter((candidate) => candidate.decision.countsAgainstMessagingLimit).map((candidate) => candidate.contact.id);
  if (counting.length === 0 || context.messagingLimit.usersPer24h === null) return candidates;
  const granted = await reserveReach(deps.db, counting, budgetUsers(context.messagingLimit), now);
  if (granted.size === counting.length) return candidates;
  // The losers of the race for the last slots wait as step 8 says, from the reach as it is now.
  const reach = await loadPortfolioReach(deps.db, [], now);
  const wait = decideMessagingLimit({ ...context.messagingLimit, reachedUsers: reach.reachedUsers, contactAlreadyCounted: false, oldestCountedAt: reach.oldestCountedAt }, false, now);
  // Slots freed since the reservation: look again in a second rather than now, so lanes do not spin.
  const until = wait.kind === 'defer' ? wait.until : new Date(now.getTime() + 1000);
  const kept: ToSend[] = [];
  for (const candidate of candidates) {
    if (!candidate.decision.countsAgainstMessagingLimit || granted.has(candidate.contact.id)) kept.push(candidate);
    else outcomes.push({ id: candidate.message.id, state: 'deferred', reason: 'messaging_limit', detail: `the portfolio reached ${reach.reachedUsers} unique contacts outside a service window in 24 h (budget ${budgetUsers(context.messagingLimit)})`, dueAt: until, attempted: false });
  }
  return kept;
}

/**
 * A campaign with a link gives each message its token (one insert per batch; a retried message keeps
 * its token). Without GREENLIGHT_PUBLIC_URL there is no address to point at: the campaign pauses.
 */
async function attachTrackedLinks(deps: BatchDeps, context: CampaignContext, settings: BatchSettings, sending: ToSend[], outcomes: MessageOutcome[]): Promise<{ sending: ToSend[]; pause: BatchResult['pause'] }> {
  const link = context.spec.link;
  if (!link || sending.length === 0) return { sending, pause: null };
  if (settings.publicUrl === null) {
    for (const item of sending) outcomes.push({ id: item.message.id, state: 'deferred', reason: 'campaign_paused', detail: 'tracked links need GREENLIGHT_PUBLIC_URL', dueAt: new Date(0), attempted: false });
    return { sending: [], pause: { scope: 'campaign', reason: 'breaker', detail: 'the campaign has a tracked link but GREENLIGHT_PUBLIC_URL is not set, so there is no address for /r/ links', action: `set GREENLIGHT_PUBLIC_URL to serve's public https address, restart, then run: greenlight campaigns resume ${context.campaign.id}` } };
  }
  const tokens = await createTrackedLinks(deps.db, sending.map((item) => ({ messageId: item.message.id, url: link.url })), deps.clock.now());
  return { sending: sending.map((item) => ({ ...item, linkToken: tokens.get(item.message.id) })), pause: null };
}

/**
 * Step 11: what was sent plus this message must stay within the budget. The first message over it
 * waits (due again once resumed) and the campaign pauses with reason `budget`.
 */
function applyBudget(context: CampaignContext, toSend: ToSend[], spent: { value: number }, outcomes: MessageOutcome[]): { sending: ToSend[]; pause: BatchResult['pause'] } {
  const budget = context.spec.budget?.usd;
  if (budget === undefined) return { sending: toSend, pause: null };
  const sending: ToSend[] = [];
  let over = false;
  for (const candidate of toSend) {
    if (!over && spent.value + candidate.costUsd <= budget + 1e-9) {
      spent.value += candidate.costUsd;
      sending.push(candidate);
      continue;
    }
    over = true;
    outcomes.push({ id: candidate.message.id, state: 'deferred', reason: 'budget', detail: `sending would exceed the campaign's budget of ${budget} USD`, dueAt: new Date(0), attempted: false });
  }
  const pause = over
    ? { scope: 'campaign' as const, reason: 'budget' as const, detail: `the estimated cost reached the budget: ${spent.value.toFixed(4)} of ${budget} USD spent`, action: `raise the budget: greenlight campaigns resume ${context.campaign.id} --budget-usd <more>` }
    : null;
  return { sending, pause };
}

/**
 * Sends at the paced slots (or at once, unpaced), all of the batch in flight together; outcomes are
 * appended. Paced, each chunk of messages is marked `sending` just before its slots, so a crash leaves
 * as few `unknown` messages as possible: queued ones were never sent and go back to the queue.
 * Unpaced, the batch was claimed as `sending` already.
 */
async function sendAll(deps: BatchDeps, context: CampaignContext, settings: LeasedSettings, sending: ToSend[], outcomes: MessageOutcome[], result: BatchResult): Promise<string[]> {
  if (sending.length === 0) return [];
  const wamids: string[] = [];
  const send = async (item: ToSend) => {
    const outcome = await sendOne(deps, context, settings, item, result);
    outcomes.push(outcome);
    if (outcome.state === 'sent') wamids.push(outcome.wamid);
  };
  if (!settings.pacing) {
    await Promise.all(sending.map(send));
    return wamids;
  }
  let waiting = sending;
  for (let round = 0; waiting.length > 0; round += 1) {
    if (round === MAX_RESLOTS) {
      // Still late after several new slots (an overloaded process): the queue takes them back.
      for (const item of waiting) outcomes.push({ id: item.message.id, state: 'deferred', reason: 'pacing', detail: 'the worker fell behind its sending slots; sent again shortly', dueAt: deps.clock.now(), attempted: false });
      break;
    }
    waiting = await sendAtSlots(deps, context, settings, waiting, send);
  }
  return wamids;
}

const MAX_RESLOTS = 3;
/**
 * Messages are marked `sending` a chunk at a time, each chunk the slots of the next 50 ms, written 25 ms
 * before the chunk's first slot so the write is done when the slot comes: one write per chunk, and a
 * crash leaves at most a chunk `unknown`.
 */
const MARK_AHEAD_MS = 50;
const MARK_LEAD_MS = 25;

/**
 * One block of slots, walked in time order: each message goes at its slot; one whose slot passed by more
 * than the tolerance (an overloaded process) goes back to the caller for a new slot, and its `sending`
 * mark is taken back, since its request never left.
 */
async function sendAtSlots(deps: BatchDeps, context: CampaignContext, settings: LeasedSettings, items: ToSend[], send: (item: ToSend) => Promise<void>): Promise<ToSend[]> {
  const interval = slotIntervalMs(context.rate);
  const start = (await reserveSlots(deps.db, context.sender.id, items.length, interval, deps.clock.now())).getTime();
  const lastSlot = start + interval * items.length;
  if (lastSlot - deps.clock.now().getTime() > settings.leaseMs / 2) {
    await renewLeases(deps.db, settings.lease, items.map((item) => item.message.id), settings.leaseMs + (lastSlot - deps.clock.now().getTime()), deps.clock.now());
  }
  const perChunk = Math.max(1, Math.floor(MARK_AHEAD_MS / interval));
  const late: ToSend[] = [];
  const sends: Array<Promise<void>> = [];
  const isLate = (slot: number) => deps.clock.now().getTime() - slot > settings.lateSlotToleranceMs;
  for (let first = 0; first < items.length; first += perChunk) {
    const chunk = items.slice(first, first + perChunk);
    await settings.sleepUntil(new Date(start + first * interval - MARK_LEAD_MS));
    // A chunk whose last slot already passed is not marked at all (a starved process falls behind).
    if (isLate(start + (first + chunk.length - 1) * interval)) {
      late.push(...chunk);
      continue;
    }
    const held = await markSending(deps.db, settings.lease, chunk.map((item) => item.message.id), deps.clock.now());
    const lateInChunk: ToSend[] = [];
    for (const [offset, item] of chunk.entries()) {
      if (!held.has(item.message.id)) continue;
      const slot = start + (first + offset) * interval;
      await settings.sleepUntil(new Date(slot));
      if (isLate(slot)) lateInChunk.push(item);
      else sends.push(send(item));
    }
    // Taken back at once, not at the end of the block: a crash must not find them `sending`.
    await unmarkSending(deps.db, settings.lease, lateInChunk.map((item) => item.message.id));
    late.push(...lateInChunk);
  }
  await Promise.all(sends);
  return late;
}

async function sendOne(deps: BatchDeps, context: CampaignContext, settings: BatchSettings, item: ToSend, result: BatchResult): Promise<MessageOutcome> {
  const { decision, message, contact } = item;
  let via = decision.via;
  // sent_at is when the request left: the moment pacing, the frequency cap and the 6 s gap are about.
  const sentAt = deps.clock.now();
  let answer = await deps.whatsapp.sendMessage(context.sender.phoneNumberId, outbound(context, settings, item, via));
  if (!answer.ok) {
    let consequence = consequenceOf(answer, { attempts: message.attempts, via, campaignId: context.campaign.id, now: deps.clock.now(), random: settings.random });
    if (consequence.effect.kind === 'resend_as_template') {
      via = 'template';
      const resentAt = deps.clock.now();
      answer = await deps.whatsapp.sendMessage(context.sender.phoneNumberId, outbound(context, settings, item, via));
      if (answer.ok) return accepted(item, answer, via, resentAt);
      consequence = consequenceOf(answer, { attempts: message.attempts + 1, via, campaignId: context.campaign.id, now: deps.clock.now(), random: settings.random });
    }
    await applyConsequence(deps, context, contact, consequence, result);
    return outcomeOf(item, consequence, via, sentAt);
  }
  return accepted(item, answer, via, sentAt);
}

function accepted(item: ToSend, answer: Extract<SendResult, { ok: true }>, via: 'template' | 'session', sentAt: Date): MessageOutcome {
  return {
    id: item.message.id, state: 'sent', wamid: answer.wamid, status: answer.messageStatus === 'held_for_quality_assessment' ? 'held' : 'accepted',
    sentAt, via, language: item.decision.language, category: item.category, costUsd: item.costUsd, attempted: true,
  };
}

function outcomeOf(item: ToSend, consequence: FailureConsequence, via: 'template' | 'session', sentAt: Date): MessageOutcome {
  const effect = consequence.effect;
  const id = item.message.id;
  if (effect.kind === 'resend_as_template') return { id, state: 'failed', reason: 'error_131047', detail: 'the template resend failed too', errorCode: consequence.code, attempted: true };
  switch (effect.outcome) {
    case 'deferred':
      return { id, state: 'deferred', reason: effect.reason, detail: effect.detail, dueAt: effect.dueAt, attempted: true };
    case 'skipped':
      return { id, state: 'skipped', reason: effect.reason, detail: effect.detail };
    case 'unknown':
      return { id, state: 'unknown', reason: effect.reason, detail: effect.detail, sentAt, via, language: item.decision.language, category: item.category, costUsd: item.costUsd };
    case 'failed':
      return { id, state: 'failed', reason: effect.reason, detail: effect.detail, errorCode: consequence.code, attempted: true };
  }
}

async function applyConsequence(deps: BatchDeps, context: CampaignContext, contact: Contact, consequence: FailureConsequence, result: BatchResult): Promise<void> {
  const now = deps.clock.now();
  if (consequence.suppress) await addSuppression(deps.db, { contactId: contact.id, ...consequence.suppress, source: `send error ${consequence.code ?? ''} in campaign ${context.campaign.id}`, occurredAt: now }, now);
  if (consequence.slowSenderUntil) await backOffSender(deps.db, context.sender.id, consequence.slowSenderUntil);
  if (consequence.pause && result.pause === null) result.pause = { ...consequence.pause, reason: 'breaker' };
}

function outbound(context: CampaignContext, settings: BatchSettings, item: ToSend, via: 'template' | 'session'): OutboundMessage {
  const { contact, decision, linkToken } = item;
  // Always "+E.164": without the plus Meta would prepend the sender's own country code (ports.ts).
  const to = contact.phone ?? `+${contact.waId ?? ''}`;
  const bizOpaqueCallbackData = callbackDataFor(item.message.id);
  const link = context.spec.link;
  if (via === 'session' && decision.via === 'session') {
    const body = linkToken && settings.publicUrl ? fillLinkPlaceholder(decision.text, trackedUrl(settings.publicUrl, linkToken)) : decision.text;
    return { to, bizOpaqueCallbackData, type: 'text', body, previewUrl: linkToken !== undefined };
  }
  const template = decision.template.send;
  if (linkToken === undefined || link?.button === undefined) return { to, bizOpaqueCallbackData, type: 'template', template };
  // The tracked button's variable is the token alone: its URL in the template is serve's /r/{{1}}.
  const buttons = template.buttons.map((button) => (button.subType === 'url' && button.index === link.button ? { ...button, text: linkToken } : button));
  return { to, bizOpaqueCallbackData, type: 'template', template: { ...template, buttons } };
}

function lastFromSender(history: readonly RecentMessage[], senderId: number): Date | null {
  let last: Date | null = null;
  for (const sent of history) if (sent.senderId === senderId && (last === null || sent.sentAt > last)) last = sent.sentAt;
  return last;
}

/** Step 11's price of one message: the rate card's rate for its market and category when Meta charges it. */
function costOf(card: RateCard, contact: Contact, decision: Extract<SendDecision, { kind: 'send' }>, now: Date): number {
  return decidedMessageMicroUsd(card, contact.country, decision.pricing, now) / 1e6;
}
