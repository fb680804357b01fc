// §6.2 and §6.4: status webhooks with realistic delays, signed with the app secret (X-Hub-Signature-256 =
// HMAC-SHA256 of the raw body), sometimes aggregated, duplicated or reordered, and retried with backoff on
// any non-200 for a bounded time.

import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { WebhookRequest } from '../../src/simulator/webhook-delivery.ts';
import type { WebhookPayload } from '../../src/simulator/webhook-payloads.ts';
import { verifySignature } from '../../src/whatsapp/signature.ts';
import { brazilNumber, changes, makeSimulator, send, statuses, templateMessage, text } from './sim-harness.ts';

const APP_SECRET = 'test-app-secret-ü';

function collector(statusFor: (attempt: number) => number = () => 200) {
  const requests: Array<WebhookRequest & { attempt: number }> = [];
  return { requests, deliver: (request: WebhookRequest) => (requests.push({ ...request, attempt: requests.length + 1 }), { status: statusFor(requests.length) }) };
}

async function sendMany(sim: ReturnType<typeof makeSimulator>, count: number, opaque?: string) {
  for (let index = 0; index < count; index += 1) {
    const message = { ...templateMessage(brazilNumber(index), 'spring_sale', [text('Ana')]), ...(opaque === undefined ? {} : { biz_opaque_callback_data: `${opaque}-${index}` }) };
    await send(sim, message);
  }
}

describe('webhooks', () => {
  it('signs every POST with X-Hub-Signature-256 = sha256=HMAC(app secret, raw body)', async () => {
    const target = collector();
    const sim = makeSimulator({ appSecret: APP_SECRET, webhook: { deliver: target.deliver } });
    sim.controls.inbound({ from: brazilNumber(1), text: 'Olá, ação ✓' });
    await sendMany(sim, 3);
    await sim.advance(60_000);
    expect(target.requests.length).toBeGreaterThan(3);
    for (const request of target.requests) {
      const expected = `sha256=${createHmac('sha256', APP_SECRET).update(Buffer.from(request.body, 'utf8')).digest('hex')}`;
      expect(request.headers['x-hub-signature-256']).toBe(expected);
      expect(verifySignature(Buffer.from(request.body, 'utf8'), request.headers['x-hub-signature-256'], APP_SECRET)).toBe(true);
      expect(request.headers['content-type']).toBe('application/json');
    }
  });

  it('reports sent (with PMP pricing), delivered and read in that order with realistic delays, echoing biz_opaque_callback_data', async () => {
    const sim = makeSimulator();
    await sendMany(sim, 20, 'campaign-7');
    await sim.advance(13 * 3_600_000);
    const first = statuses(sim).filter((status) => status.biz_opaque_callback_data === 'campaign-7-0');
    expect(first.map((status) => status.status).slice(0, 2)).toEqual(['sent', 'delivered']);
    expect(first[0]?.pricing).toEqual({ billable: true, pricing_model: 'PMP', type: 'regular', category: 'marketing' });
    expect(first[1]?.pricing).toBeUndefined();
    const reads = statuses(sim).filter((status) => status.status === 'read');
    expect(reads.length).toBeGreaterThan(5);
    const sentAt = Number(first[0]?.timestamp);
    const answeredAt = Math.floor(sim.sent()[0]!.acceptedAtMs / 1000);
    expect(sentAt - answeredAt).toBeLessThanOrEqual(2);
  });

  it('retries a webhook answered with non-200 with growing intervals until it gets 200', async () => {
    const target = collector((attempt) => (attempt <= 3 ? 500 : 200));
    const sim = makeSimulator({ webhook: { deliver: target.deliver }, webhookRetry: { firstRetryMs: 10_000 } });
    sim.controls.inbound({ from: brazilNumber(1), text: 'hi' });
    await sim.advance(0);
    expect(target.requests).toHaveLength(1);
    await sim.advance(10_000);
    expect(target.requests).toHaveLength(2);
    await sim.advance(19_999);
    expect(target.requests).toHaveLength(2);
    await sim.advance(1);
    await sim.advance(40_000);
    expect(target.requests).toHaveLength(4);
    expect(new Set(target.requests.map((request) => request.body)).size).toBe(1);
    expect(sim.webhooks.records().map((record) => record.status)).toEqual([500, 500, 500, 200]);
  });

  it('gives up on a webhook that keeps failing once the retry horizon has passed', async () => {
    const target = collector(() => 503);
    const sim = makeSimulator({ webhook: { deliver: target.deliver }, webhookRetry: { firstRetryMs: 10_000, maxIntervalMs: 60_000, horizonMs: 600_000 } });
    sim.controls.inbound({ from: brazilNumber(1), text: 'hi' });
    await sim.advance(3_600_000);
    const records = sim.webhooks.records();
    expect(records.at(-1)?.gaveUp).toBe(true);
    expect(records.at(-1)!.atMs - records[0]!.atMs).toBeLessThanOrEqual(600_000);
    expect(records.length).toBeLessThan(20);
  });

  it('aggregates statuses of one number into one POST when the aggregation rate says so', async () => {
    const sim = makeSimulator({ webhookFaults: { aggregateRate: 1, duplicateRate: 0, reorderRate: 0 } });
    await sendMany(sim, 10);
    await sim.advance(5_000);
    const perPost = sim.webhooks.delivered().map((payload) => changes([payload]).reduce((sum, change) => sum + (change.field === 'messages' ? (change.value.statuses?.length ?? 0) : 0), 0));
    expect(Math.max(...perPost)).toBeGreaterThan(1);
    expect(perPost.reduce((sum, count) => sum + count, 0)).toBe(statuses(sim).length);
  });

  it('duplicates POSTs at the configured rate (same body, delivered twice)', async () => {
    const sim = makeSimulator({ webhookFaults: { duplicateRate: 1, aggregateRate: 0, reorderRate: 0 } });
    await sendMany(sim, 3);
    await sim.advance(120_000);
    const records = sim.webhooks.records();
    const duplicates = records.filter((record) => record.duplicate);
    expect(duplicates.length).toBeGreaterThan(0);
    for (const duplicate of duplicates) expect(records.some((record) => !record.duplicate && record.body === duplicate.body)).toBe(true);
  });

  it('delivers some statuses out of order at the configured reorder rate', async () => {
    const sim = makeSimulator({ webhookFaults: { reorderRate: 0.5, duplicateRate: 0, aggregateRate: 0 } });
    await sendMany(sim, 40);
    await sim.advance(60_000);
    const order = new Map<string, string[]>();
    for (const status of statuses(sim)) order.set(status.id, [...(order.get(status.id) ?? []), status.status]);
    const outOfOrder = [...order.values()].filter((list) => list.indexOf('delivered') !== -1 && list.indexOf('delivered') < list.indexOf('sent'));
    expect(outOfOrder.length).toBeGreaterThan(0);
  });

  it('drops updates at the configured drop rate (chaos only)', async () => {
    const sim = makeSimulator({ webhookFaults: { dropRate: 1 } });
    await sendMany(sim, 5);
    await sim.advance(60_000);
    expect(sim.webhooks.delivered()).toEqual([]);
    expect(sim.webhooks.droppedCount()).toBeGreaterThan(0);
  });

  it('holds webhooks while delivery is stopped and sends them in order when it starts', async () => {
    const target = collector();
    const sim = makeSimulator({ webhook: { deliver: target.deliver }, startWebhooks: false });
    await sendMany(sim, 3);
    await sim.advance(60_000);
    expect(target.requests).toHaveLength(0);
    await sim.webhooks.start();
    const payloads = target.requests.map((request) => JSON.parse(request.body) as WebhookPayload);
    expect(payloads.length).toBeGreaterThanOrEqual(6);
    const times = changes(payloads).flatMap((change) => (change.field === 'messages' ? (change.value.statuses ?? []).map((status) => Number(status.timestamp)) : []));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('POSTs to a webhook URL over HTTP', async () => {
    const bodies: string[] = [];
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        bodies.push(body);
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const sim = makeSimulator({ webhook: { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/whatsapp` } });
      sim.controls.inbound({ from: brazilNumber(1), text: 'hi' });
      await sim.advance(0);
      expect(bodies).toHaveLength(1);
      expect(JSON.parse(bodies[0] ?? '{}')).toMatchObject({ object: 'whatsapp_business_account' });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
