// No duplicate, no loss (product.md, "Never a duplicate send"): a 20,000-recipient campaign sent by
// `greenlight worker` processes that are killed with SIGKILL several times mid-campaign and restarted.
// The simulator runs in this test process over real HTTP, so it outlives every kill and its sent log is
// the ground truth of what "Meta" received. PostgreSQL: the worker and this test share the database.
import { describe, expect, it } from 'vitest';
import { createCampaign } from '../../src/actions/create-campaign.ts';
import { launchCampaign } from '../../src/actions/launch-campaign.ts';
import { reconcileUnknownMessages } from '../../src/store/campaign-messages.ts';
import { mergeMessageStatuses } from '../../src/store/message-statuses.ts';
import { campaignDocument } from '../helpers/campaign-harness.ts';
import { postgresAdminUrl } from '../helpers/test-backends.ts';
import { createWorkerHarness, sleep, unfinished } from '../helpers/worker-harness.ts';

const RECIPIENTS = 20_000;

describe('a campaign whose workers are killed with SIGKILL (PostgreSQL)', () => {
  it.skipIf(!postgresAdminUrl)('finishes after restarts with every recipient sent exactly once or accounted for: zero duplicates, zero lost', async () => {
    const h = await createWorkerHarness({ recipients: RECIPIENTS, tag: 'crash' });
    const { db, deps } = h;
    try {
      // The campaign's own breakers are off: this test is about crashes, not about simulated people's replies.
      const { campaign } = await createCampaign(deps, campaignDocument({ audience: { tags: ['crash'] }, guards: { optOutRate: 1, failureRate: 1, blockSignalRate: 1 } }));
      await launchCampaign(deps, campaign.id);

      const kills: Array<{ afterMs: number; sentBefore: number }> = [];
      for (const afterMs of [3_000, 4_500, 3_500, 5_000]) {
        const worker = h.startWorker(['--lease-seconds', '3']);
        await sleep(afterMs);
        await h.stopWorker(worker, 'SIGKILL');
        kills.push({ afterMs, sentBefore: (await h.sent()).length });
      }
      expect(kills.at(-1)!.sentBefore, 'the kills landed mid-campaign').toBeLessThan(RECIPIENTS);
      const last = h.startWorker(['--lease-seconds', '3']);
      for (let waited = 0; waited < 120_000 && await unfinished(db, campaign.id); waited += 500) await sleep(500);
      expect(await unfinished(db, campaign.id), 'every recipient sent or accounted for').toBe(false);
      // Let the last status webhooks arrive and the worker's supervision reconcile them.
      await sleep(3_000);
      await h.stopWorker(last, 'SIGTERM');
      await h.drainWebhooks();
      await mergeMessageStatuses(db, await reconcileUnknownMessages(db, new Date()), new Date());

      const received = await h.sent();
      const perRecipient = new Map<string, number>();
      for (const message of received) perRecipient.set(message.waId, (perRecipient.get(message.waId) ?? 0) + 1);
      const duplicates = [...perRecipient.values()].filter((count) => count > 1).length;
      const rows = await db.query<{ phone: string; dispatch_state: string; wamid: string | null }>(
        'select c.phone, m.dispatch_state, m.wamid from messages m join contacts c on c.id = m.contact_id where m.campaign_id = $1',
        [campaign.id],
      );
      const byState = new Map<string, number>();
      for (const row of rows) byState.set(row.dispatch_state, (byState.get(row.dispatch_state) ?? 0) + 1);
      const receivedWamid = new Map(received.map((message) => [`+${message.waId}`, message.wamid]));
      const sentRows = rows.filter((row) => row.dispatch_state === 'sent');
      const unknownRows = rows.filter((row) => row.dispatch_state === 'unknown');
      console.log(`crash test: ${kills.length} SIGKILLs (sent before each: ${kills.map((kill) => kill.sentBefore).join(', ')}); states ${JSON.stringify(Object.fromEntries(byState))}; simulator received ${received.length}, duplicates ${duplicates}`);

      expect(duplicates, 'no recipient received the message twice').toBe(0);
      expect(rows).toHaveLength(RECIPIENTS);
      // Every recipient is accounted for: nothing is left planned, deferred, queued or sending.
      expect([...byState.keys()].filter((state) => !['sent', 'unknown'].includes(state))).toEqual([]);
      // What Meta received and what Greenlight recorded agree, wamid for wamid.
      expect(sentRows.length).toBe(received.length);
      expect(sentRows.every((row) => receivedWamid.get(row.phone) === row.wamid)).toBe(true);
      // An unknown message is a request in flight when its worker died (Meta never answered it): never
      // resent, shown as unknown. At most what one worker has in flight at its rate (800/s × Meta's
      // latency) per kill; queued-but-unsent messages went back to the queue instead.
      expect(unknownRows.every((row) => !receivedWamid.has(row.phone))).toBe(true);
      expect(unknownRows.length).toBeLessThanOrEqual(kills.length * 60);
    } finally {
      await h.close();
    }
  }, 240_000);
});
