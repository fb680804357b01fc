// What happens to an accepted message: sent → delivered → read status webhooks with realistic delays, or
// failed with errors[] (§6.2); on delivery the simulated person reacts (reads, replies, says STOP, stops
// marketing, blocks or reports), and delivery and feedback feed quality. Blocked numbers stay at "sent".

import { spamScore } from './content-signals.ts';
import { webhookError } from './graph-errors.ts';
import type { People } from './people.ts';
import type { Population } from './population.ts';
import { SIGNAL_WEIGHTS } from './quality-score.ts';
import type { Random } from './random.ts';
import { decideReaction } from './reactions.ts';
import type { Senders } from './senders.ts';
import type { SentMessage } from './sent-log.ts';
import type { SimClock } from './sim-clock.ts';
import type { TemplateQualityTracker } from './template-quality.ts';
import type { Pricing, StatusValue, WebhookUpdate } from './webhook-payloads.ts';
import { unixSeconds } from './webhook-payloads.ts';

export type LifecycleDeps = {
  clock: SimClock;
  random: Random;
  population: Population;
  people: People;
  quality: TemplateQualityTracker;
  senders: Senders;
  enqueue: (update: WebhookUpdate) => void;
};

// §7.2: from 2026-10-01 service messages and in-window utility templates are charged.
const SERVICE_CHARGED_FROM_MS = Date.UTC(2026, 9, 1);

/** The pricing object of the `sent` status (§6.2: it appears once), PMP since 2025-07-01. */
export function pricingFor(message: SentMessage, atMs: number): Pricing {
  const freeInWindow = message.category === 'service' || (message.category === 'utility' && message.inWindow);
  if (freeInWindow && atMs < SERVICE_CHARGED_FROM_MS) return { billable: false, pricing_model: 'PMP', type: 'free_customer_service', category: message.category };
  return { billable: true, pricing_model: 'PMP', type: 'regular', category: message.pricingCategory };
}

export function createMessageLifecycle(deps: LifecycleDeps) {
  const { clock, random, population } = deps;

  const emitStatus = (message: SentMessage, status: StatusValue['status'], extra: Partial<StatusValue> = {}) => {
    const sender = deps.senders.get(message.phoneNumberId);
    if (sender === undefined) return;
    const atMs = clock.nowMs();
    const value: StatusValue = {
      id: message.wamid,
      status,
      timestamp: String(unixSeconds(atMs)),
      recipient_id: message.waId,
      ...(message.bizOpaqueCallbackData === null ? {} : { biz_opaque_callback_data: message.bizOpaqueCallbackData }),
      ...extra,
    };
    message.state = status;
    const metadata = { display_phone_number: sender.displayPhoneNumber, phone_number_id: sender.id };
    deps.enqueue({ wabaId: message.wabaId, atMs, change: { field: 'messages', value: { messaging_product: 'whatsapp', metadata, statuses: [value] } } });
  };

  const fail = (message: SentMessage, code: number, details: string | null = null) => {
    message.errorCode = code;
    emitStatus(message, 'failed', { errors: [webhookError(code, details ?? undefined)] });
  };

  const react = (message: SentMessage) => {
    const person = population.person(message.waId);
    const input = {
      person,
      optedIn: population.isOptedIn(message.waId),
      receivedLastDay: population.receivedLastDay(message.waId, clock.nowMs()) - 1,
      spam: spamScore(message.text),
      category: message.category,
    };
    const reaction = decideReaction(input, random);
    const { phoneNumberId, waId } = message;
    if (reaction.readAfterMs !== null) {
      clock.after(reaction.readAfterMs, () => {
        if (!population.hasBlocked(phoneNumberId, waId)) emitStatus(message, 'read');
      });
    }
    const reply = reaction.reply;
    if (reply !== null) clock.after(reply.afterMs, () => void (reply.kind === 'stop' ? deps.people.sayStop(phoneNumberId, waId) : deps.people.reply(phoneNumberId, waId, message.wamid)));
    if (reaction.stopMarketingAfterMs !== null) clock.after(reaction.stopMarketingAfterMs, () => deps.people.stopMarketing(phoneNumberId, waId));
    const block = reaction.block;
    if (block !== null) {
      clock.after(block.afterMs, () => {
        population.block(phoneNumberId, waId);
        deps.quality.recordNegative(message, block.report ? SIGNAL_WEIGHTS.blockAndReport : SIGNAL_WEIGHTS.block);
      });
    }
  };

  const deliver = (message: SentMessage) => {
    emitStatus(message, 'delivered');
    population.recordReceived(message.waId, clock.nowMs());
    if (message.category === 'marketing') population.recordMarketingDelivered(message.waId, clock.nowMs());
    deps.quality.recordDelivered(message);
    react(message);
  };

  const sent = (message: SentMessage) => {
    emitStatus(message, 'sent', { pricing: pricingFor(message, clock.nowMs()) });
    // A person who blocked this number never gets the message; Meta still reports it as sent.
    if (population.hasBlocked(message.phoneNumberId, message.waId)) return;
    // Most phones are online (0.3–3 s); 7% are offline for 1–60 min.
    const delayMs = random.chance(0.07) ? random.between(60_000, 3_600_000) : random.between(300, 3_000);
    clock.after(delayMs, () => deliver(message));
  };

  return {
    /** Starts an accepted (or released) message; `failure` makes it fail asynchronously instead. */
    start: (message: SentMessage, failure: { code: number; details: string | null } | null = null) => {
      if (failure !== null) return clock.after(random.between(300, 2_000), () => fail(message, failure.code, failure.details));
      clock.after(random.between(150, 1_200), () => sent(message));
    },
    fail,
  };
}

export type MessageLifecycle = ReturnType<typeof createMessageLifecycle>;
