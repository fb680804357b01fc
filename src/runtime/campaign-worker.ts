// The dispatcher as a long-running service: `greenlight worker` runs it alone (several per PostgreSQL
// database, on several machines), `greenlight serve` beside the webhook receiver. Stops gracefully:
// batches in flight finish and write their outcomes before close() resolves.

import type { Deps } from '../deps.ts';
import { createDispatcher, type DispatcherOptions } from '../dispatch/dispatcher.ts';
import type { WhatsAppApi } from '../ports.ts';

export type CampaignWorker = { owner: string; close(): Promise<void> };

export function startCampaignWorker(deps: Deps & { whatsapp: WhatsAppApi }, options: DispatcherOptions): CampaignWorker {
  const dispatcher = createDispatcher(deps, options);
  const controller = new AbortController();
  deps.log.info('worker.started', { owner: dispatcher.owner });
  const running = dispatcher.run(controller.signal);
  return {
    owner: dispatcher.owner,
    close: async () => {
      controller.abort();
      await running;
      deps.log.info('worker.stopped', { owner: dispatcher.owner });
    },
  };
}
