// A dispatcher that stops (SIGTERM on `greenlight worker`) gives back the messages it still holds at once,
// instead of leaving them leased until the lease runs out: queued ones go back to the queue for another
// worker now, and ones marked sending (the request may have left) become unknown, never resent.
import { describe, expect, it } from 'vitest';
import { createCampaign } from '../../src/actions/create-campaign.ts';
import { launchCampaign } from '../../src/actions/launch-campaign.ts';
import { claimDueMessages, markSending, releaseLeases } from '../../src/store/campaign-messages.ts';
import { campaignDocument, createCampaignHarness, opted } from '../helpers/campaign-harness.ts';
import { testBackends } from '../helpers/test-backends.ts';

const people = Array.from({ length: 8 }, (_, index) => opted(`+4915112348${String(index).padStart(3, '0')}`, `Person ${index}`));

async function launched(kind: (typeof testBackends)[number]) {
  const h = await createCampaignHarness(kind);
  await h.addPeople(people);
  const { campaign } = await createCampaign(h.deps, campaignDocument());
  await launchCampaign(h.deps, campaign.id);
  const leased = async () =>
    h.db.query<{ lease_owner: string | null; dispatch_state: string; count: number }>(
      `select lease_owner, dispatch_state, count(*)::int as count from messages where campaign_id = $1 group by lease_owner, dispatch_state order by lease_owner, dispatch_state`,
      [campaign.id],
    );
  return { h, campaignId: campaign.id, leased };
}

describe.each(testBackends)('releasing leases on %s', (kind) => {
  it('gives a stopping worker’s queued messages back to the queue and its sending ones to unknown, and leaves other workers’ claims alone', async () => {
    const { h, campaignId, leased } = await launched(kind);
    const now = h.simulator.clock.now();
    const mine = await claimDueMessages(h.db, { campaignId, owner: 'worker-a', limit: 3, leaseMs: 60_000 }, now);
    await claimDueMessages(h.db, { campaignId, owner: 'worker-b', limit: 2, leaseMs: 60_000 }, now);
    await markSending(h.db, 'worker-a', [mine[0]!.id], now);

    expect(await releaseLeases(h.db, 'worker-a', now)).toEqual({ requeued: 2, unknown: 1 });
    expect(await leased()).toEqual([
      { lease_owner: 'worker-a', dispatch_state: 'unknown', count: 1 },
      { lease_owner: 'worker-b', dispatch_state: 'queued', count: 2 },
      { lease_owner: null, dispatch_state: 'planned', count: 5 },
    ]);
    const [unknown] = await h.db.query<{ reason: string; lease_until: Date | null }>(`select reason, lease_until from messages where id = $1`, [mine[0]!.id]);
    expect(unknown).toEqual({ reason: 'send_outcome_unknown', lease_until: null });
    // Released rows are due again at once: another worker claims them without waiting out the lease.
    expect(await claimDueMessages(h.db, { campaignId, owner: 'worker-c', limit: 10, leaseMs: 60_000 }, now)).toHaveLength(5);
  });

  it('releases, when its run stops, what a dispatcher still held from a batch that failed half-way', async () => {
    const { h, campaignId, leased } = await launched(kind);
    // The harness dispatcher's owner is 'test-worker': these claims stand for a batch that threw.
    await claimDueMessages(h.db, { campaignId, owner: h.dispatcher.owner, limit: 4, leaseMs: 60_000 }, h.simulator.clock.now());
    const controller = new AbortController();
    const running = h.dispatcher.run(controller.signal);
    controller.abort();
    await running;
    expect((await leased()).filter((row) => row.dispatch_state === 'queued' || row.dispatch_state === 'sending')).toEqual([]);
    expect(await leased()).toEqual([{ lease_owner: null, dispatch_state: 'planned', count: 8 }]);
  });
});
