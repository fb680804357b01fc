// Fault knobs for tests and chaos runs (set through /_sim or in process): fail the next N sends with a
// code, force throttling, add latency with a slow tail, and tune webhook drop/duplicate/reorder/aggregate rates.
// Holds state only; the send pipeline and webhook delivery consult it.

import type { WebhookFaults } from './webhook-delivery.ts';

export type FailNextRule = { remaining: number; code: number; surface: 'sync' | 'async'; phoneNumberId: string | null; details: string | null };
export type Latency = { fixedMs: number; tailShare: number; tailMs: number };

export const DEFAULT_WEBHOOK_FAULTS: WebhookFaults = { dropRate: 0, duplicateRate: 0.02, reorderRate: 0.05, aggregateRate: 0.3 };

export function createFaults(initialWebhookFaults: WebhookFaults) {
  let failNext: FailNextRule[] = [];
  const throttledUntil = new Map<string, number>();
  let latency: Latency = { fixedMs: 0, tailShare: 0, tailMs: 0 };
  let webhooks: WebhookFaults = { ...initialWebhookFaults };

  return {
    failNextSends: (rule: { count: number; code: number; surface?: 'sync' | 'async'; phoneNumberId?: string | null; details?: string | null }) =>
      void failNext.push({ remaining: rule.count, code: rule.code, surface: rule.surface ?? 'sync', phoneNumberId: rule.phoneNumberId ?? null, details: rule.details ?? null }),
    /** The failure the next send from `phoneNumberId` must get, if any (consumed). */
    takeFailure: (phoneNumberId: string): FailNextRule | null => {
      const rule = failNext.find((candidate) => candidate.remaining > 0 && (candidate.phoneNumberId === null || candidate.phoneNumberId === phoneNumberId));
      if (rule === undefined) return null;
      rule.remaining -= 1;
      failNext = failNext.filter((candidate) => candidate.remaining > 0);
      return rule;
    },
    /** Every send from `phoneNumberId` (or from any number when null) gets 130429 until `untilMs`. */
    throttle: (phoneNumberId: string | null, untilMs: number) => void throttledUntil.set(phoneNumberId ?? '*', untilMs),
    isThrottled: (phoneNumberId: string, nowMs: number) => (throttledUntil.get(phoneNumberId) ?? 0) > nowMs || (throttledUntil.get('*') ?? 0) > nowMs,
    latency: () => latency,
    setLatency: (next: Partial<Latency>) => {
      latency = { ...latency, ...next };
    },
    webhooks: () => webhooks,
    setWebhookFaults: (next: Partial<WebhookFaults>) => {
      webhooks = { ...webhooks, ...next };
    },
    reset: () => {
      failNext = [];
      throttledUntil.clear();
      latency = { fixedMs: 0, tailShare: 0, tailMs: 0 };
      webhooks = { ...initialWebhookFaults };
    },
  };
}

export type Faults = ReturnType<typeof createFaults>;
