// Runs the webhook processor in the background of a service: drains the inbox whenever a webhook
// is stored (kick) and polls as a fallback (another process on PostgreSQL may have stored it, or a
// failed webhook's retry time came). Stops cleanly, finishing the batch in hand.

import { processWebhookEvents, type ProcessOutcome } from '../actions/process-webhook-events.ts';
import type { Deps } from '../deps.ts';
import type { ParseWebhook } from '../ports.ts';

export type WebhookProcessor = { kick(): void; stop(): Promise<void>; totals(): ProcessOutcome };

export function startWebhookProcessor(deps: Deps & { parseWebhook: ParseWebhook }, options: { pollMs?: number; batchSize?: number } = {}): WebhookProcessor {
  const pollMs = options.pollMs ?? 1000;
  const totals: ProcessOutcome = { webhooks: 0, applied: 0, unhandled: 0, failed: 0 };
  let stopping = false;
  let wake: (() => void) | null = null;
  let kicked = false;

  const waitForWork = () =>
    new Promise<void>((resolve) => {
      if (kicked || stopping) return resolve();
      const timer = setTimeout(resolve, pollMs);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const loop = (async () => {
    while (!stopping) {
      kicked = false;
      try {
        const outcome = await processWebhookEvents(deps, { limit: options.batchSize ?? 100 });
        for (const key of Object.keys(totals) as Array<keyof ProcessOutcome>) totals[key] += outcome[key];
        // A full batch means more may be waiting: go again at once instead of sleeping.
        if (outcome.webhooks >= (options.batchSize ?? 100)) continue;
      } catch (error) {
        deps.log.error('webhook processor failed; retrying after the poll interval', { error });
      }
      await waitForWork();
      wake = null;
    }
  })();

  return {
    kick: () => {
      kicked = true;
      wake?.();
    },
    stop: async () => {
      stopping = true;
      wake?.();
      await loop;
    },
    totals: () => ({ ...totals }),
  };
}
