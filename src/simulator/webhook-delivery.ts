// Delivers webhooks like Meta (whatsapp-rules.md §6.4): signed with the app secret (X-Hub-Signature-256),
// sometimes aggregated, duplicated or reordered, retried with backoff on any non-200 for a bounded time.
// Owns the queue and the transport; payload shapes come from webhook-payloads.ts.

import { signPayload } from '../whatsapp/signature.ts';
import type { Random } from './random.ts';
import type { SimClock } from './sim-clock.ts';
import { buildPayload, toWire, type WebhookPayload, type WebhookUpdate } from './webhook-payloads.ts';

export type WebhookRequest = { body: string; headers: Record<string, string> };
/** An HTTP endpoint, or a function for in-process use (e.g. Greenlight's own Hono app). */
export type WebhookTarget = { url: string } | { deliver: (request: WebhookRequest) => Promise<{ status: number }> | { status: number } };

export type WebhookFaults = {
  /** Share of updates never delivered (chaos only: Meta retries rather than drops). */
  dropRate: number;
  /** Share of successful POSTs delivered a second time 1–60 s later (§6.4: duplicates are possible). */
  duplicateRate: number;
  /** Share of updates held back 1–10 s, so they can arrive after later ones (§6.2: out of order). */
  reorderRate: number;
  /** Share of status updates that wait up to `aggregationWindowMs` to share a POST with others (§6.4 batching). */
  aggregateRate: number;
};

export type WebhookRetryPolicy = { firstRetryMs: number; maxIntervalMs: number; horizonMs: number };

export type DeliveryRecord = { atMs: number; attempt: number; duplicate: boolean; body: string; signature: string; status: number | null; gaveUp: boolean };

export type WebhookDeliveryOptions = {
  clock: SimClock;
  random: Random;
  appSecret: string;
  target: WebhookTarget | null;
  faults: () => WebhookFaults;
  retry: WebhookRetryPolicy;
  aggregationWindowMs: number;
  /** Real milliseconds before an HTTP delivery counts as failed. */
  fetchTimeoutMs: number;
};

// A served simulator runs for hours: keep the latest records and payloads only (bodies are most of the memory).
const MAX_KEPT = 50_000;

/** Appends, dropping the oldest tenth once the list is over MAX_KEPT (amortised: no splice per append). */
function keep<T>(list: T[], item: T): void {
  list.push(item);
  if (list.length > MAX_KEPT * 1.1) list.splice(0, list.length - MAX_KEPT);
}

async function post(target: WebhookTarget, request: WebhookRequest, timeoutMs: number): Promise<number | null> {
  try {
    if ('deliver' in target) return (await target.deliver(request)).status;
    const response = await fetch(target.url, { method: 'POST', headers: request.headers, body: request.body, signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return null;
  }
}

/**
 * POSTs in flight to the endpoint at once. Meta does not open unbounded connections to one receiver, and
 * a bounded pool keeps a slow receiver from being buried by its own retries: without it, at 120× a
 * receiver that falls 10 s behind gets every retry at once, falls further behind, and never recovers.
 */
const MAX_IN_FLIGHT = 16;

export function createWebhookDelivery(options: WebhookDeliveryOptions) {
  const { clock, random } = options;
  let inFlight = 0;
  const waitingForSlot: Array<() => void> = [];
  /** Runs `work` when fewer than MAX_IN_FLIGHT deliveries are in flight; a finished one hands its slot on. */
  const withSlot = async <T>(work: () => Promise<T>): Promise<T> => {
    if (inFlight < MAX_IN_FLIGHT) inFlight += 1;
    else await new Promise<void>((resolve) => waitingForSlot.push(resolve));
    try {
      return await work();
    } finally {
      const next = waitingForSlot.shift();
      if (next) next();
      else inFlight -= 1;
    }
  };
  let target = options.target;
  let running = false;
  const waiting: Array<() => Promise<void>> = [];
  const batches = new Map<string, WebhookUpdate[]>();
  const records: DeliveryRecord[] = [];
  const delivered: WebhookPayload[] = [];
  let dropped = 0;

  // In manual mode deliveries are awaited one by one, which keeps runs reproducible; in speed mode a slow
  // endpoint must not stall simulated time, so they run in the background.
  const run = (work: () => Promise<void>) => (clock.mode === 'manual' ? work() : void work());

  const send = async (body: string, attempt: number, firstAtMs: number, duplicate: boolean): Promise<void> => {
    if (!running || target === null) {
      waiting.push(() => send(body, attempt, firstAtMs, duplicate));
      return;
    }
    // The signature covers the exact bytes sent (§6.4), as the shared signature.ts computes it.
    const signature = signPayload(Buffer.from(body, 'utf8'), options.appSecret);
    const headers = { 'content-type': 'application/json', 'x-hub-signature-256': signature, 'user-agent': 'facebookexternalua' };
    const endpoint = target;
    const status = await withSlot(() => post(endpoint, { body, headers }, options.fetchTimeoutMs));
    const record: DeliveryRecord = { atMs: clock.nowMs(), attempt, duplicate, body, signature, status, gaveUp: false };
    keep(records, record);
    if (status === 200) {
      if (!duplicate) keep(delivered, JSON.parse(body) as WebhookPayload);
      if (!duplicate && random.chance(options.faults().duplicateRate)) clock.after(random.between(1_000, 60_000), () => run(() => send(body, 1, clock.nowMs(), true)));
      return;
    }
    // Meta retries any non-200 "with decreasing frequency" (§6.4); the simulator doubles the interval up to a cap.
    const waitMs = Math.min(options.retry.maxIntervalMs, options.retry.firstRetryMs * 2 ** (attempt - 1));
    if (clock.nowMs() + waitMs - firstAtMs > options.retry.horizonMs) {
      record.gaveUp = true;
      return;
    }
    clock.after(waitMs, () => run(() => send(body, attempt + 1, firstAtMs, duplicate)));
  };

  const postUpdates = (updates: WebhookUpdate[]) => run(() => send(JSON.stringify(toWire(buildPayload(updates))), 1, clock.nowMs(), false));

  const arrive = (update: WebhookUpdate) => {
    const change = update.change;
    const isStatus = change.field === 'messages' && change.value.statuses !== undefined;
    if (!isStatus || !random.chance(options.faults().aggregateRate)) return postUpdates([update]);
    const key = `${update.wabaId}|${change.value.metadata.phone_number_id}`;
    const batch = batches.get(key);
    if (batch !== undefined) return void batch.push(update);
    batches.set(key, [update]);
    clock.after(options.aggregationWindowMs, () => {
      const due = batches.get(key) ?? [];
      batches.delete(key);
      return postUpdates(due);
    });
  };

  return {
    enqueue: (update: WebhookUpdate) => {
      const faults = options.faults();
      if (random.chance(faults.dropRate)) {
        dropped += 1;
        return;
      }
      const delayMs = random.chance(faults.reorderRate) ? random.between(1_000, 10_000) : 0;
      clock.schedule(update.atMs + delayMs, () => arrive(update));
    },
    /** Starts (or resumes) delivery; webhooks produced while stopped are sent now, in order. */
    start: async () => {
      running = true;
      for (let next = waiting.shift(); next !== undefined; next = waiting.shift()) await next();
    },
    stop: () => {
      running = false;
    },
    isRunning: () => running,
    setTarget: (next: WebhookTarget | null) => {
      target = next;
    },
    /** Every POST attempt, in order (duplicates and retries included); the latest 50,000. */
    records: () => [...records],
    /** Each payload once, as first delivered with a 200. */
    delivered: () => [...delivered],
    waitingCount: () => waiting.length,
    droppedCount: () => dropped,
  };
}

export type WebhookDelivery = ReturnType<typeof createWebhookDelivery>;
