// Applies a message status webhook: record it once, merge the message's status forward, and act on
// what a failure says about the recipient (not on WhatsApp, stopped marketing, capped); a campaign
// message Meta capped (131049) is sent again after 24 h.

import { classifySendError, MARKETING_CAP_MAX_ATTEMPTS, MARKETING_CAP_RETRY_DELAY_MS } from '../domain/send-errors.ts';
import { replanAfterMarketingCap } from '../store/campaign-messages.ts';
import type { MessageStatusEvent } from '../domain/whatsapp-events.ts';
import { insertMessageStatusEvents, mergeMessageStatuses } from '../store/message-statuses.ts';
import type { Db } from '../store/db.ts';
import { addSuppression, type SuppressionInput } from '../store/suppressions.ts';
import { resolveWebhookContact } from './resolve-webhook-contact.ts';

/** Applies many statuses with two statements, whatever their number; failures also act on their recipient. */
export async function applyMessageStatuses(tx: Db, events: readonly MessageStatusEvent[], now: Date): Promise<void> {
  const gained = new Set(await insertMessageStatusEvents(tx, events, now));
  await mergeMessageStatuses(tx, [...gained], now);
  for (const event of events) {
    if (event.status !== 'failed' || !gained.has(event.wamid)) continue;
    await suppressAfterFailure(tx, event, now);
    if (event.errors.some((error) => error.code === 131049)) {
      await replanAfterMarketingCap(tx, event.wamid, new Date(Math.max(now.getTime(), event.at.getTime()) + MARKETING_CAP_RETRY_DELAY_MS), MARKETING_CAP_MAX_ATTEMPTS, now);
    }
  }
}

export async function applyMessageStatus(tx: Db, event: MessageStatusEvent, now: Date): Promise<void> {
  await applyMessageStatuses(tx, [event], now);
}

async function suppressAfterFailure(tx: Db, event: MessageStatusEvent, now: Date): Promise<void> {
  for (const error of event.errors) {
    const decision = classifySendError({ code: error.code, details: error.details });
    if (decision.action !== 'act_on_recipient') continue;
    const suppression = suppressionFor(decision.recipientEffect, event, now);
    if (!suppression) continue;
    const contactId = await resolveWebhookContact(tx, event.recipient, null, now);
    if (contactId !== null) await addSuppression(tx, { ...suppression, contactId }, now);
  }
}

const dayMs = 24 * 60 * 60 * 1000;

/** The lasting consequence of a per-recipient failure (whatsapp-rules.md §12, recipient state machine). */
function suppressionFor(effect: string, event: MessageStatusEvent, now: Date): Omit<SuppressionInput, 'contactId'> | null {
  const source = `status webhook ${event.wamid}`;
  const occurredAt = event.at;
  switch (effect) {
    case 'suppress_undeliverable':
      return { reason: 'undeliverable', scope: 'all', source, until: null, occurredAt };
    case 'suppress_blocked':
      return { reason: 'blocked', scope: 'all', source, until: null, occurredAt };
    case 'suppress_marketing':
      return { reason: 'marketing_stopped', scope: 'marketing', source, until: null, occurredAt };
    case 'marketing_cap_wait_24h':
      // Meta: wait at least 24 h after 131049; retries inside that can block the user (§8.3).
      return { reason: 'marketing_cap', scope: 'marketing', source, until: new Date(Math.max(now.getTime(), event.at.getTime()) + dayMs), occurredAt };
    default:
      return null;
  }
}
