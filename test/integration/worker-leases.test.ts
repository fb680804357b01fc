// A dispatcher that stops (SIGTERM on `greenlight worker`) gives back the messages it still holds at once,
// instead of leaving them leased until the lease runs out: queued ones go back to the queue for another
// worker now, and ones marked sending (the request may have left) become unknown, never resent.
import { describe, expect, it } from 'vitest';
import { createCampaign } from '../../src/actions/create-campaign.ts';
import { launchCampaign } from '../../src/actions/launch-campaign.ts';
import { recoverEmbeddedClaims } from '../../src/actions/recover-embedded-claims.ts';
import { claimDueMessages, markSending, recoverExpiredLeases, releaseLeases, unmarkSending, writeOutcomes } from '../../src/store/campaign-messages.ts';
import { claimWebhookEvents } from '../../src/store/webhook-events.ts';
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
    const mine = await claimDueMessages(h.db, { campaignId, lease: { owner: 'worker-a', token: 1 }, limit: 3, leaseMs: 60_000 }, now);
    await claimDueMessages(h.db, { campaignId, lease: { owner: 'worker-b', token: 1 }, limit: 2, leaseMs: 60_000 }, now);
    await markSending(h.db, { owner: 'worker-a', token: 1 }, [mine[0]!.id], now);

    expect(await releaseLeases(h.db, 'worker-a', now)).toEqual({ requeued: 2, unknown: 1 });
    expect(await leased()).toEqual([
      { lease_owner: 'worker-a', dispatch_state: 'unknown', count: 1 },
      { lease_owner: 'worker-b', dispatch_state: 'queued', count: 2 },
      { lease_owner: null, dispatch_state: 'planned', count: 5 },
    ]);
    const [unknown] = await h.db.query<{ reason: string; lease_until: Date | null }>(`select reason, lease_until from messages where id = $1`, [mine[0]!.id]);
    expect(unknown).toEqual({ reason: 'send_outcome_unknown', lease_until: null });
    // Released rows are due again at once: another worker claims them without waiting out the lease.
    expect(await claimDueMessages(h.db, { campaignId, lease: { owner: 'worker-c', token: 1 }, limit: 10, leaseMs: 60_000 }, now)).toHaveLength(5);
  });

  it('lets a stale claim of a lane whose lease ran out change nothing once another lane of the same worker claimed the row again (no resend)', async () => {
    const { h, campaignId } = await launched(kind);
    const now = h.simulator.clock.now();
    const stale = { owner: 'worker-a', token: 1 };
    const fresh = { owner: 'worker-a', token: 2 };
    const [first] = await claimDueMessages(h.db, { campaignId, lease: stale, limit: 1, leaseMs: 1_000 }, now);
    // The lease runs out (a starved process): the row goes back to the queue, and another lane claims it.
    const later = new Date(now.getTime() + 5_000);
    await recoverExpiredLeases(h.db, later);
    const [again] = await claimDueMessages(h.db, { campaignId, lease: fresh, limit: 1, leaseMs: 60_000 }, later);
    expect(again!.id).toBe(first!.id);
    expect(await markSending(h.db, fresh, [again!.id], later)).toEqual(new Set([again!.id]));
    // The stale lane wakes up: it may not mark, take back or overwrite the send in flight.
    expect(await markSending(h.db, stale, [first!.id], later)).toEqual(new Set());
    await unmarkSending(h.db, stale, [first!.id]);
    expect(await writeOutcomes(h.db, stale, [{ id: first!.id, state: 'deferred', reason: 'pacing', detail: 'late', dueAt: later, attempted: false }], later)).toBe(0);
    const [row] = await h.db.query<{ dispatch_state: string }>('select dispatch_state from messages where id = $1', [first!.id]);
    expect(row!.dispatch_state).toBe('sending');
  });

  it('releases, when its run stops, what a dispatcher still held from a batch that failed half-way', async () => {
    const { h, campaignId, leased } = await launched(kind);
    // The harness dispatcher's owner is 'test-worker': these claims stand for a batch that threw.
    await claimDueMessages(h.db, { campaignId, lease: { owner: h.dispatcher.owner, token: 1 }, limit: 4, leaseMs: 60_000 }, h.simulator.clock.now());
    const controller = new AbortController();
    const running = h.dispatcher.run(controller.signal);
    controller.abort();
    await running;
    expect((await leased()).filter((row) => row.dispatch_state === 'queued' || row.dispatch_state === 'sending')).toEqual([]);
    expect(await leased()).toEqual([{ lease_owner: null, dispatch_state: 'planned', count: 8 }]);
  });

  it.runIf(kind === 'pglite')('takes up, when serve starts on the embedded database, every claim a killed process left: queued back to the queue, sending to unknown, webhook claims freed', async () => {
    const { h, campaignId, leased } = await launched(kind);
    const now = h.simulator.clock.now();
    // Two owners: a killed serve's lanes (the directory lock admits one process, so both are dead).
    const held = await claimDueMessages(h.db, { campaignId, lease: { owner: 'killed-serve-a', token: 1 }, limit: 3, leaseMs: 60_000 }, now);
    await claimDueMessages(h.db, { campaignId, lease: { owner: 'killed-serve-b', token: 4 }, limit: 2, leaseMs: 60_000 }, now);
    await markSending(h.db, { owner: 'killed-serve-a', token: 1 }, [held[0]!.id], now);
    await h.db.query(`insert into webhook_events (body_sha256, body, received_at, locked_until, attempts) values ('x', '{}', $1, $2, 1)`, [now, new Date(now.getTime() + 60_000)]);

    expect(await recoverEmbeddedClaims(h.deps)).toEqual({ requeued: 4, unknown: 1, webhooks: 1 });
    expect(await leased()).toEqual([
      { lease_owner: 'killed-serve-a', dispatch_state: 'unknown', count: 1 },
      { lease_owner: null, dispatch_state: 'planned', count: 7 },
    ]);
    expect(await claimWebhookEvents(h.db, now, 10, 60_000)).toHaveLength(1);
  });
});
