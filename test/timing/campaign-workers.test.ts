// Two `greenlight worker` processes share one campaign on PostgreSQL: no message twice, and the
// sender's rate held across both (the shared pacing slots in sender_pacing). The rate is measured where
// Greenlight controls it, when each request leaves (messages.sent_at), and checked where Meta counts it:
// the simulator, in a process of its own, answers no 130429; its arrival-side peak is reported too.
import { describe, expect, it } from 'vitest';
import { createCampaign } from '../../src/actions/create-campaign.ts';
import { launchCampaign } from '../../src/actions/launch-campaign.ts';
import { campaignDocument } from '../helpers/campaign-harness.ts';
import { postgresAdminUrl } from '../helpers/test-backends.ts';
import { createWorkerHarness, sleep, unfinished } from '../helpers/worker-harness.ts';

const RECIPIENTS = 3_000;
const RATE = 150;

/** The most arrivals in any window [t, t + 1 s), sliding over every arrival. */
function busiestSecond(arrivalsMs: readonly number[]): number {
  const sorted = [...arrivalsMs].sort((a, b) => a - b);
  let most = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last += 1) {
    while (sorted[last]! - sorted[first]! >= 1000) first += 1;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

describe('two workers on one campaign (PostgreSQL)', () => {
  it.skipIf(!postgresAdminUrl)('send every message once, at a combined rate within 5 % of the configured rate and never above it in any 1 s window', async () => {
    const h = await createWorkerHarness({ recipients: RECIPIENTS, tag: 'pair', separateSimulator: true });
    try {
      const { campaign } = await createCampaign(h.deps, campaignDocument({ audience: { tags: ['pair'] }, rate: { messagesPerSecond: RATE }, guards: { optOutRate: 1, failureRate: 1, blockSignalRate: 1 } }));
      await launchCampaign(h.deps, campaign.id);
      const workers = [h.startWorker(), h.startWorker()];
      for (let waited = 0; waited < 90_000 && await unfinished(h.db, campaign.id); waited += 250) await sleep(250);
      for (const worker of workers) await h.stopWorker(worker, 'SIGTERM');

      const received = await h.sent();
      expect(received).toHaveLength(RECIPIENTS);
      expect(new Set(received.map((message) => message.waId)).size, 'no recipient twice').toBe(RECIPIENTS);
      const owners = await h.db.query<{ lease_owner: string; count: number }>(`select lease_owner, count(*)::int as count from messages where campaign_id = $1 and dispatch_state = 'sent' group by lease_owner`, [campaign.id]);
      expect(owners, 'both workers sent part of the campaign').toHaveLength(2);

      const departures = (await h.db.query<{ sent_at: Date }>('select sent_at from messages where campaign_id = $1', [campaign.id])).map((row) => row.sent_at.getTime()).sort((a, b) => a - b);
      // The steady state: the first and last second hold the workers' start-up and the tail.
      const steady = departures.filter((at) => at >= departures[0]! + 1000 && at <= departures.at(-1)! - 1000);
      const combined = ((steady.length - 1) * 1000) / (steady.at(-1)! - steady[0]!);
      const busiest = busiestSecond(departures);
      const busiestOnArrival = busiestSecond(received.map((message) => message.acceptedAtMs));
      console.log(`two workers: ${received.length} messages, combined ${combined.toFixed(1)} msg/s (configured ${RATE}), busiest 1 s window ${busiest} as sent, ${busiestOnArrival} on arrival at the simulator`);
      expect(Math.abs(combined - RATE) / RATE).toBeLessThanOrEqual(0.05);
      expect(busiest).toBeLessThanOrEqual(RATE);
      expect(received.filter((message) => message.errorCode !== null)).toEqual([]);
    } finally {
      await h.close();
    }
  }, 180_000);
});
