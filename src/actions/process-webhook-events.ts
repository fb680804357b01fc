// Processes stored webhooks: claim a batch under a lease, parse each, apply its events, mark it
// processed. Webhooks holding only statuses (most of Meta's traffic) are applied together in one
// transaction; the others, and a status batch that fails, one transaction per webhook. A webhook
// whose processing throws is retried later with backoff; one Meta sent malformed is marked
// processed with the reason (retrying cannot help).

import type { Deps } from '../deps.ts';
import type { ParseWebhook } from '../ports.ts';
import type { MessageStatusEvent, WhatsAppEvent } from '../domain/whatsapp-events.ts';
import { claimWebhookEvents, completeWebhookEvent, completeWebhookEvents, failWebhookEvent, type ClaimedWebhookEvent } from '../store/webhook-events.ts';
import { applyMessageStatuses } from './apply-message-status.ts';
import { applyWhatsAppEvent } from './apply-whatsapp-event.ts';

export type ProcessOutcome = { webhooks: number; applied: number; unhandled: number; failed: number };

const leaseMs = 60_000;
const maxRetryDelayMs = 10 * 60_000;
// After this many failed attempts (about a day with the backoff above) a webhook is set aside with its
// error: it stays stored, raw, for an operator, instead of being retried for ever.
export const maxWebhookAttempts = 150;
// Statuses applied in one transaction. Large enough that PostgreSQL processes ~2,000–34,000 statuses/s;
// small enough that on PGlite, whose SQL runs on the server's thread, acknowledgements wait at most a
// few tens of ms (10,000 statuses at once pushed the ack p50 to 0.7 s; bench/RESULTS.md).
const maxStatusesPerTransaction = 500;

export async function processWebhookEvents(deps: Deps & { parseWebhook: ParseWebhook }, options: { limit?: number } = {}): Promise<ProcessOutcome> {
  const claimed = await claimWebhookEvents(deps.db, deps.clock.now(), options.limit ?? 100, leaseMs);
  const outcome: ProcessOutcome = { webhooks: claimed.length, applied: 0, unhandled: 0, failed: 0 };
  const { statusOnly, others } = splitStatusOnly(deps.parseWebhook, claimed);
  for (const group of groupByStatusCount(statusOnly, maxStatusesPerTransaction)) {
    await new Promise((resolve) => setImmediate(resolve));
    try {
      outcome.applied += await applyStatusOnlyBatch(deps, group);
    } catch (error) {
      // One bad webhook must not hold up the others: go one by one to find it.
      deps.log.warn('status batch failed; processing its webhooks one by one', { webhooks: group.length, error });
      others.push(...group.map((entry) => ({ webhook: entry.webhook, read: { kind: 'events' as const, events: entry.events } })));
    }
  }
  for (const { webhook, read } of others) {
    // On PGlite the SQL runs on this thread: yield between webhooks so the HTTP server can acknowledge
    // the next POSTs (without it, acks waited for the whole batch: p50 2.9 s, bench/RESULTS.md).
    await new Promise((resolve) => setImmediate(resolve));
    try {
      const counts = await processOne(deps, webhook, read);
      outcome.applied += counts.applied;
      outcome.unhandled += counts.unhandled;
    } catch (error) {
      outcome.failed += 1;
      if (webhook.attempts >= maxWebhookAttempts) {
        await completeWebhookEvent(deps.db, webhook.id, deps.clock.now(), { applied: 0, unhandled: 0, note: `gave up after ${webhook.attempts} attempts: ${error instanceof Error ? error.message : String(error)}` });
        deps.log.error('webhook set aside after repeated failures', { webhookEventId: webhook.id, attempts: webhook.attempts, error });
        continue;
      }
      const retryAt = new Date(deps.clock.now().getTime() + Math.min(maxRetryDelayMs, 1000 * 2 ** webhook.attempts));
      await failWebhookEvent(deps.db, webhook.id, retryAt, error instanceof Error ? error.message : String(error));
      deps.log.error('webhook processing failed; will retry', { webhookEventId: webhook.id, attempts: webhook.attempts, error });
    }
  }
  return outcome;
}

type StatusOnly = { webhook: ClaimedWebhookEvent; events: MessageStatusEvent[] };

/** A stored body read once: its events, why it cannot be read, or the parser's own failure (retried). */
type ReadWebhook = { kind: 'events'; events: WhatsAppEvent[] } | { kind: 'unreadable'; note: string; reason: string | null } | { kind: 'parser_failed'; error: unknown };

function readWebhook(parseWebhook: ParseWebhook, body: string): ReadWebhook {
  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch {
    return { kind: 'unreadable', note: 'body is not JSON', reason: null };
  }
  try {
    const parsed = parseWebhook(payload);
    return parsed.ok ? { kind: 'events', events: parsed.events } : { kind: 'unreadable', note: `not a WhatsApp webhook: ${parsed.reason}`, reason: parsed.reason };
  } catch (error) {
    return { kind: 'parser_failed', error };
  }
}

function splitStatusOnly(parseWebhook: ParseWebhook, claimed: readonly ClaimedWebhookEvent[]): { statusOnly: StatusOnly[]; others: Array<{ webhook: ClaimedWebhookEvent; read: ReadWebhook }> } {
  const statusOnly: StatusOnly[] = [];
  const others: Array<{ webhook: ClaimedWebhookEvent; read: ReadWebhook }> = [];
  for (const webhook of claimed) {
    const read = readWebhook(parseWebhook, webhook.body);
    const statuses = read.kind === 'events' ? read.events.filter((event) => event.kind === 'message_status') : [];
    if (read.kind === 'events' && statuses.length > 0 && statuses.length === read.events.length) statusOnly.push({ webhook, events: statuses });
    else others.push({ webhook, read });
  }
  return { statusOnly, others };
}

function groupByStatusCount(entries: readonly StatusOnly[], limit: number): StatusOnly[][] {
  const groups: StatusOnly[][] = [];
  let current: StatusOnly[] = [];
  let count = 0;
  for (const entry of entries) {
    if (current.length > 0 && count + entry.events.length > limit) {
      groups.push(current);
      current = [];
      count = 0;
    }
    current.push(entry);
    count += entry.events.length;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

async function applyStatusOnlyBatch(deps: Deps, batch: readonly StatusOnly[]): Promise<number> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const events = batch.flatMap((entry) => entry.events);
    await applyMessageStatuses(tx, events, now);
    await completeWebhookEvents(tx, batch.map((entry) => ({ id: entry.webhook.id, applied: entry.events.length })), now);
    return events.length;
  });
}

async function processOne(deps: Deps, webhook: ClaimedWebhookEvent, read: ReadWebhook): Promise<{ applied: number; unhandled: number }> {
  const now = deps.clock.now();
  if (read.kind === 'parser_failed') throw read.error;
  if (read.kind === 'unreadable') {
    await completeWebhookEvent(deps.db, webhook.id, now, { applied: 0, unhandled: 0, note: read.note });
    if (read.reason !== null) deps.log.warn('stored webhook is not a WhatsApp webhook', { webhookEventId: webhook.id, reason: read.reason });
    return { applied: 0, unhandled: 0 };
  }
  const parsed = read;
  return deps.db.transaction(async (tx) => {
    let applied = 0;
    const notes: string[] = [];
    // Statuses are most of Meta's traffic (3× the sends, §6.4): apply them together in two statements.
    const statuses = parsed.events.filter((event) => event.kind === 'message_status');
    await applyMessageStatuses(tx, statuses, now);
    applied += statuses.length;
    for (const event of parsed.events) {
      if (event.kind === 'message_status') continue;
      if (await applyWhatsAppEvent(tx, event, now)) applied += 1;
      else if (event.kind === 'unhandled') notes.push(`${event.field}: ${event.reason}`);
    }
    await completeWebhookEvent(tx, webhook.id, now, { applied, unhandled: notes.length, note: notes.length > 0 ? notes.join('; ').slice(0, 2000) : null });
    return { applied, unhandled: notes.length };
  });
}
