// The /_sim routes (no token) for tests and chaos runs against a served simulator: consent registration,
// people writing in, fault knobs, latency in simulated time, clock control and GET /_sim/sent inspection.

import { describe, expect, it } from 'vitest';
import { serveSimulator } from '../../src/simulator/serve-simulator.ts';
import { brazilNumber, errorCode, graph, makeSimulator, PHONE_ID, send, START, templateMessage, text, WABA_ID } from './sim-harness.ts';

const post = (sim: ReturnType<typeof makeSimulator>, path: string, body: unknown = {}) =>
  sim.app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('/_sim controls', () => {
  it('registers opt-ins, makes numbers undeliverable and fails the next sends over HTTP', async () => {
    const sim = makeSimulator();
    expect((await post(sim, '/_sim/people/opt-ins', { phones: [brazilNumber(1)] })).status).toBe(200);
    expect(sim.people.isOptedIn(brazilNumber(1).slice(1))).toBe(true);
    expect((await post(sim, '/_sim/people/opt-ins', { phones: [] })).status).toBe(400);
    await post(sim, '/_sim/faults/fail-next', { count: 1, code: 131000 });
    expect(errorCode(await send(sim, templateMessage(brazilNumber(1), 'spring_sale', [text('Ana')])))).toBe(131000);
    await post(sim, '/_sim/people/undeliverable', { phones: [brazilNumber(2)] });
    await send(sim, templateMessage(brazilNumber(2), 'spring_sale', [text('Ana')]));
    await post(sim, '/_sim/clock/advance', { ms: 10_000 });
    expect(sim.sent({ to: brazilNumber(2) })[0]).toMatchObject({ state: 'failed', errorCode: 131026 });
  });

  it('lists what was sent to whom and when, with the payload, on GET /_sim/sent', async () => {
    const sim = makeSimulator();
    await send(sim, { ...templateMessage(brazilNumber(1), 'spring_sale', [text('Ana')]), biz_opaque_callback_data: 'c-1' });
    await send(sim, templateMessage(brazilNumber(2), 'spring_sale', [text('Bo')]));
    const response = await sim.app.request(`/_sim/sent?to=${encodeURIComponent(brazilNumber(1))}`);
    const { data } = (await response.json()) as { data: Array<Record<string, unknown>> };
    expect(data).toEqual([
      expect.objectContaining({
        to: brazilNumber(1),
        waId: brazilNumber(1).slice(1),
        phoneNumberId: PHONE_ID,
        templateName: 'spring_sale',
        acceptedAt: START.toISOString(),
        bizOpaqueCallbackData: 'c-1',
        payload: expect.objectContaining({ type: 'template' }) as unknown,
      }),
    ]);
  });

  it('throttles every send with 130429 for a while, and pauses a template by hand', async () => {
    const sim = makeSimulator();
    await post(sim, '/_sim/faults/throttle', { durationMs: 2_000 });
    expect(errorCode(await send(sim, templateMessage(brazilNumber(1), 'spring_sale', [text('Ana')])))).toBe(130429);
    await sim.advance(2_000);
    expect((await send(sim, templateMessage(brazilNumber(1), 'spring_sale', [text('Ana')]))).status).toBe(200);
    const id = sim.templates.find(WABA_ID, 'spring_sale', 'en_US')?.id ?? '';
    expect((await post(sim, `/_sim/templates/${id}/pause`)).status).toBe(200);
    expect(errorCode(await send(sim, templateMessage(brazilNumber(2), 'spring_sale', [text('Ana')])))).toBe(132015);
    expect((await graph(sim, 'GET', `/${id}?fields=health_status`)).body['health_status']).toMatchObject({ can_send_message: 'BLOCKED' });
    expect((await post(sim, '/_sim/templates/404/pause')).status).toBe(404);
  });

  it('delays answers by the configured latency in simulated time (the answer arrives when the clock passes it)', async () => {
    const sim = makeSimulator();
    await post(sim, '/_sim/faults/latency', { fixedMs: 800 });
    let answered = false;
    const pending = send(sim, templateMessage(brazilNumber(1), 'spring_sale', [text('Ana')])).then((answer) => {
      answered = true;
      return answer;
    });
    // Let the request reach the simulator (a macrotask turn, not a sleep) before moving its clock.
    while (sim.sent().length === 0) await new Promise((resolve) => setImmediate(resolve));
    await sim.advance(799);
    expect(answered).toBe(false);
    await sim.advance(1);
    expect((await pending).status).toBe(200);
  });

  it('sets sender quality and webhook fault rates over HTTP', async () => {
    const sim = makeSimulator();
    expect((await post(sim, `/_sim/senders/${PHONE_ID}/quality`, { rating: 'RED' })).status).toBe(200);
    expect((await graph(sim, 'GET', `/${PHONE_ID}?fields=quality_rating`)).body['quality_rating']).toBe('RED');
    expect((await post(sim, '/_sim/senders/000/quality', { rating: 'RED' })).status).toBe(404);
    expect((await post(sim, '/_sim/faults/webhooks', { dropRate: 2 })).status).toBe(400);
    expect((await post(sim, '/_sim/faults/webhooks', { dropRate: 1 })).status).toBe(200);
    sim.controls.inbound({ from: brazilNumber(1), text: 'hi' });
    await sim.advance(0);
    expect(sim.webhooks.delivered()).toEqual([]);
  });

  it('serves the same API over HTTP with serveSimulator', async () => {
    const served = await serveSimulator({ port: 0, speed: 'manual', startAt: START });
    try {
      const response = await fetch(`${served.url}/v25.0/${PHONE_ID}?fields=throughput`, { headers: { authorization: `Bearer ${served.simulator.accessToken}` } });
      expect(await response.json()).toEqual({ throughput: { level: 'STANDARD' }, id: PHONE_ID });
      const clock = await fetch(`${served.url}/_sim/clock/advance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ms: 60_000 }) });
      expect(await clock.json()).toEqual({ now: new Date(START.getTime() + 60_000).toISOString() });
    } finally {
      await served.close();
    }
  });
});
