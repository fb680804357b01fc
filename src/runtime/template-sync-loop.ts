// Syncs the templates of every WABA Greenlight sends from, periodically, in a service: webhooks can
// be lost or late, and a sync is how the local copy catches up (whatsapp-rules.md §4.5).

import { syncTemplates } from '../actions/sync-templates.ts';
import type { WhatsAppDeps } from '../deps.ts';
import { listSenders } from '../store/senders.ts';

export function startTemplateSyncLoop(deps: WhatsAppDeps, intervalMs: number): { stop(): void } {
  const runOnce = async () => {
    const wabaIds = [...new Set((await listSenders(deps.db)).map((sender) => sender.wabaId))];
    for (const wabaId of wabaIds) {
      const report = await syncTemplates(deps, wabaId);
      if (report.changes.length > 0) deps.log.info('template sync found changes', { wabaId, changes: report.changes });
    }
  };
  // One run at a time: a slow sync (many pages, a throttled budget) must not overlap the next.
  let running = false;
  const tick = () => {
    if (running) return;
    running = true;
    runOnce()
      .catch((error: unknown) => deps.log.warn('template sync failed; will try again', { error }))
      .finally(() => {
        running = false;
      });
  };
  const first = setTimeout(tick, 0);
  const timer = setInterval(tick, intervalMs);
  first.unref();
  timer.unref();
  return {
    stop: () => {
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
