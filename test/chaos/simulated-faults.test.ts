// Chaos on Meta's side, on every engine, in simulated time: server errors, lost answers and timeouts,
// a 130429 storm, a slow tail, and webhooks duplicated, reordered, early and days late. Each test
// injects its faults through the simulator's knobs (or a fault-injecting network in front of it) and
// then proves the same four things: the campaign finished (or paused with a reason), no recipient got
// the message twice, none was lost, and Meta's log agrees with Greenlight's counters.

import { describe, expect, it } from 'vitest';
import { createCampaign } from '../../src/actions/create-campaign.ts';
import { launchCampaign } from '../../src/actions/launch-campaign.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { buildPayload, toWire, unixSeconds } from '../../src/simulator/webhook-payloads.ts';
import type { WebhookRequest } from '../../src/simulator/webhook-delivery.ts';
import { findCampaign } from '../../src/store/campaigns.ts';
import { signPayload } from '../../src/whatsapp/signature.ts';
import { campaignDocument, campaignMessages, createCampaignHarness, opted, PHONE_ID, WABA_ID, type Harness } from '../helpers/campaign-harness.ts';
import { testBackends } from '../helpers/test-backends.ts';
import { auditCampaign, expectAccountedFor, recordFigures } from './chaos-audit.ts';
import { connectionReset, interceptSends } from './send-interceptor.ts';

const RECIPIENTS = 60;
const DAY_MS = 24 * 60 * 60 * 1000;
// The campaign's own breakers are off: these tests are about transport faults, not people's replies.
const NO_GUARDS = { guards: { optOutRate: 1, failureRate: 1, blockSignalRate: 1 } };

const audience = (count: number) => Array.from({ length: count }, (_, index) => opted(`+49151300${String(10_000 + index)}`, `Person ${index}`));

async function launch(h: Harness, recipients = RECIPIENTS): Promise<number> {
  await h.addPeople(audience(recipients));
  const { campaign } = await createCampaign(h.deps, campaignDocument(NO_GUARDS));
  await launchCampaign(h.deps, campaign.id);
  return campaign.id;
}

const received = (h: Harness) => h.simulator.sent({}).map((message) => ({ waId: message.waId, wamid: message.wamid }));

describe.each(testBackends)('chaos: Meta misbehaving on %s', (kind) => {
  it('Meta answering 500/503 for a stretch: transient errors are retried, a payload error is not, and every other recipient is sent exactly once', async () => {
    const started = Date.now();
    const h = await createCampaignHarness(kind);
    // Meta's own coded errors (131000 server error, 131016 service unavailable) and a 131008 that no retry can fix…
    h.simulator.controls.failNextSends({ count: 6, code: 131000 });
    h.simulator.controls.failNextSends({ count: 6, code: 131016 });
    h.simulator.controls.failNextSends({ count: 2, code: 131008 });
    // …and a load balancer in front of Meta answering a bare 503 (no code) to 4 requests that never reached it.
    let bare503 = 0;
    const network = interceptSends(h, async (send) => {
      if (send.index % 7 === 3 && bare503 < 4) {
        bare503 += 1;
        return new Response('<html>503 Service Unavailable</html>', { status: 503, headers: { 'content-type': 'text/html' } });
      }
      return send.forward();
    });
    const campaignId = await launch(h);
    await h.runFor(400_000);

    const audit = await auditCampaign(h.deps, campaignId, received(h));
    expectAccountedFor(audit, RECIPIENTS);
    expect((await findCampaign(h.db, campaignId))?.state).toBe('completed');
    expect(audit.counts.failed, 'the two 131008 recipients failed, not retried').toBe(2);
    expect(audit.counts.sent).toBe(RECIPIENTS - 2);
    // Every request is accounted for: one accepted send per sent recipient plus exactly one request per injected error.
    expect(network.sends()).toBe(audit.counts.sent + 14 + bare503);
    recordFigures({ scenario: '1. Meta 500/503 stretch', engine: kind, faults: `${6} × 131000, ${6} × 131016, ${2} × 131008, ${bare503} × bare HTTP 503`, recipients: RECIPIENTS, received: audit.received, sent: audit.counts.sent, unknown: audit.counts.unknown, duplicates: audit.duplicates, lost: audit.lost, durationMs: Date.now() - started });
  });

  it('timeouts and connection resets: the message becomes unknown, is never resent, and is reconciled when its status webhook arrives', async () => {
    const started = Date.now();
    const h = await createCampaignHarness(kind);
    const injected = { answerLost: 0, requestLost: 0, timedOut: 0 };
    interceptSends(h, async (send) => {
      const fault = send.index % 6;
      if (fault === 1 && injected.answerLost < 5) {
        // Meta accepted it; the connection dropped before the answer came back.
        injected.answerLost += 1;
        await send.forward();
        throw connectionReset();
      }
      if (fault === 3 && injected.requestLost < 3) {
        // The connection dropped before Meta saw the request.
        injected.requestLost += 1;
        throw connectionReset();
      }
      if (fault === 5 && injected.timedOut < 4) {
        // Meta accepted it, but its answer never came within the client's timeout.
        injected.timedOut += 1;
        await send.forward();
        return new Promise<Response>((_, reject) => send.signal?.addEventListener('abort', () => reject(send.signal?.reason as Error)));
      }
      return send.forward();
    }, { sendTimeoutMs: 200 });
    const campaignId = await launch(h);
    await h.runFor(400_000);

    const audit = await auditCampaign(h.deps, campaignId, received(h));
    expectAccountedFor(audit, RECIPIENTS);
    expect((await findCampaign(h.db, campaignId))?.state).toBe('completed');
    // Only the requests Meta never saw stay unknown; the others were reconciled from their status webhooks.
    expect(audit.counts.unknown).toBe(injected.requestLost);
    expect(audit.unknownButReceived).toBe(0);
    expect(audit.counts.sent).toBe(RECIPIENTS - injected.requestLost);
    const reconciled = (await h.db.query<{ count: number }>(`select count(*)::int as count from messages where campaign_id = $1 and detail like 'reconciled%'`, [campaignId]))[0]!.count;
    expect(reconciled).toBe(injected.answerLost + injected.timedOut);
    recordFigures({ scenario: '2. timeouts and resets', engine: kind, faults: `${injected.answerLost} answers lost (reset after Meta accepted), ${injected.timedOut} timeouts after Meta accepted, ${injected.requestLost} resets before Meta saw it; ${reconciled} reconciled`, recipients: RECIPIENTS, received: audit.received, sent: audit.counts.sent, unknown: audit.counts.unknown, duplicates: audit.duplicates, lost: audit.lost, durationMs: Date.now() - started });
  });

  it('a 130429 storm: the sender backs off, nobody gets a duplicate, and the campaign completes', async () => {
    const started = Date.now();
    const h = await createCampaignHarness(kind);
    let throttled = 0;
    // Two storms: one from the start, one that begins mid-campaign.
    h.simulator.controls.throttle({ durationMs: 20_000 });
    interceptSends(h, async (send) => {
      if (send.index === 40) h.simulator.controls.throttle({ durationMs: 30_000 });
      const answer = await send.forward();
      if (answer.status !== 200 && ((await answer.clone().json()) as { error?: { code?: number } }).error?.code === 130429) throttled += 1;
      return answer;
    });
    const campaignId = await launch(h);
    await h.runFor(600_000);

    const audit = await auditCampaign(h.deps, campaignId, received(h));
    expectAccountedFor(audit, RECIPIENTS);
    expect((await findCampaign(h.db, campaignId))?.state).toBe('completed');
    expect(audit.counts.sent).toBe(RECIPIENTS);
    expect(throttled, 'the storm was felt').toBeGreaterThan(0);
    const [pacing] = await h.db.query<{ throttle_hits: number }>('select throttle_hits from sender_pacing');
    expect(pacing!.throttle_hits).toBeGreaterThan(0);
    recordFigures({ scenario: '3. 130429 storm', engine: kind, faults: `2 throttle storms (20 s + 30 s simulated), ${throttled} × 130429 answered`, recipients: RECIPIENTS, received: audit.received, sent: audit.counts.sent, unknown: audit.counts.unknown, duplicates: audit.duplicates, lost: audit.lost, durationMs: Date.now() - started });
  });

  it('slow responses (a p99 of about 5 s): the campaign completes with no duplicate and nothing left unknown', async () => {
    const started = Date.now();
    const h = await createCampaignHarness(kind);
    h.simulator.controls.setLatency({ fixedMs: 150, tailShare: 0.05, tailMs: 6_000 });
    const latencies: number[] = [];
    // The simulator sleeps on its simulated clock; this network keeps simulated time moving while an answer
    // is awaited, as real time would (the harness moves the clock only when someone waits on it).
    interceptSends(h, async (send) => {
      const from = h.simulator.clock.now().getTime();
      let done = false;
      const answer = send.forward().finally(() => {
        done = true;
      });
      while (!done) await h.sleepUntil(new Date(h.simulator.clock.now().getTime() + 50));
      latencies.push(h.simulator.clock.now().getTime() - from);
      return answer;
    });
    const campaignId = await launch(h);
    await h.runFor(400_000);

    const audit = await auditCampaign(h.deps, campaignId, received(h));
    expectAccountedFor(audit, RECIPIENTS);
    expect((await findCampaign(h.db, campaignId))?.state).toBe('completed');
    expect(audit.counts.sent).toBe(RECIPIENTS);
    const sorted = [...latencies].sort((a, b) => a - b);
    const p99 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]!;
    expect(sorted.at(-1), 'the slow tail happened').toBeGreaterThanOrEqual(3_000);
    recordFigures({ scenario: '4. slow responses', engine: kind, faults: `latency 150 ms + 5 % tail of 3–6 s (observed p99 ${(p99 / 1000).toFixed(1)} s, max ${(sorted.at(-1)! / 1000).toFixed(1)} s simulated)`, recipients: RECIPIENTS, received: audit.received, sent: audit.counts.sent, unknown: audit.counts.unknown, duplicates: audit.duplicates, lost: audit.lost, durationMs: Date.now() - started });
  });

  it('webhooks duplicated 10×, out of order, before the send’s answer and days late: statuses merge monotonically, counts do not move, no opt-out is recorded twice', async () => {
    const started = Date.now();
    const h = await createCampaignHarness(kind);
    const receiver = createHttpApp(h.deps, { webhook: { appSecret: 'secret', verifyToken: null } });
    const post = (request: WebhookRequest) => receiver.request('/webhooks/whatsapp', { method: 'POST', headers: request.headers, body: request.body });
    // Every webhook Meta sends is held back, to be delivered days later.
    const held: WebhookRequest[] = [];
    h.simulator.webhooks.setTarget({ deliver: (request) => (held.push(request), { status: 200 }) });
    // For the first 5 sends a `delivered` status reaches Greenlight (10 times) before the send's own answer does.
    let early = 0;
    interceptSends(h, async (send) => {
      const answer = await send.forward();
      if (early >= 5 || answer.status !== 200) return answer;
      early += 1;
      const wamid = ((await answer.clone().json()) as { messages: Array<{ id: string }> }).messages[0]!.id;
      const atMs = h.simulator.clock.now().getTime();
      const statuses = [{ id: wamid, status: 'delivered' as const, timestamp: String(unixSeconds(atMs)), recipient_id: send.body.to.replace(/\D/g, ''), ...(send.body.biz_opaque_callback_data ? { biz_opaque_callback_data: send.body.biz_opaque_callback_data } : {}) }];
      const body = JSON.stringify(toWire(buildPayload([{ wabaId: WABA_ID, atMs, change: { field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: PHONE_ID }, statuses } } }])));
      const headers = { 'content-type': 'application/json', 'x-hub-signature-256': signPayload(Buffer.from(body, 'utf8'), 'secret') };
      for (let copy = 0; copy < 10; copy += 1) expect((await post({ body, headers })).status).toBe(200);
      await h.drainWebhooks();
      return answer;
    });
    const campaignId = await launch(h);
    await h.runFor(300_000);
    // Three recipients answer STOP; then three days pass with every webhook still held back.
    const stoppers = audience(3).map((person) => person.phone);
    for (const phone of stoppers) h.simulator.controls.inbound({ from: phone, text: 'STOP' });
    await h.simulator.advance(3 * DAY_MS);
    const before = await auditCampaign(h.deps, campaignId, received(h));

    // Days late, newest first, each ten times.
    const replay = async () => {
      for (const request of [...held].reverse()) for (let copy = 0; copy < 10; copy += 1) expect((await post(request)).status).toBe(200);
      await h.drainWebhooks();
    };
    await replay();
    const optOuts = async () => h.db.query<{ contact_id: number; category: string; count: number }>(`select contact_id, category, count(*)::int as count from consent_events where kind = 'opt_out' group by contact_id, category`);
    const afterFirst = await optOuts();
    await replay();
    const after = await auditCampaign(h.deps, campaignId, received(h));

    expectAccountedFor(after, RECIPIENTS);
    expect(after.counts, 'late and duplicated webhooks do not move the dispatch counts').toEqual(before.counts);
    expect((await findCampaign(h.db, campaignId))?.state).toBe('completed');
    // The merged status is Meta's latest, never an older one that arrived after it.
    const simState = new Map(h.simulator.sent({}).map((message) => [message.wamid, message.state]));
    const rows = await campaignMessages(h.db, campaignId);
    const regressed = rows.filter((row) => row.wamid !== null && row.status !== simState.get(row.wamid));
    expect(regressed.map((row) => [row.phone, row.status, simState.get(row.wamid!)])).toEqual([]);
    // One opt-out per person and category, however often the STOP arrived.
    expect(afterFirst.filter((row) => row.count > 1)).toEqual([]);
    expect(afterFirst.length).toBeGreaterThanOrEqual(stoppers.length);
    expect(await optOuts()).toEqual(afterFirst);
    recordFigures({ scenario: '5. webhooks late, reordered, duplicated', engine: kind, faults: `${held.length} held webhook POSTs delivered 3 days late, newest first, 10× each, twice; 5 statuses 10× before the send's answer; 3 STOPs`, recipients: RECIPIENTS, received: after.received, sent: after.counts.sent, unknown: after.counts.unknown, duplicates: after.duplicates, lost: after.lost, durationMs: Date.now() - started });
  });
});
