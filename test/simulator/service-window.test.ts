// §7.1: free-form messages are allowed only within 24 h of the user's last message; outside the window Meta
// fails them with 131047. A simulated person writing in (an inbound webhook) opens the window.

import { describe, expect, it } from 'vitest';
import { brazilNumber, changes, errorCode, graph, makeSimulator, send, statuses, textMessage } from './sim-harness.ts';

const to = brazilNumber(7);
const DAY = 86_400_000;

describe('customer service window (131047)', () => {
  it('fails a free-form message outside the window with 131047 in a failed status webhook', async () => {
    const sim = makeSimulator();
    const answer = await send(sim, textMessage(to, 'Hello there'));
    expect(answer.status).toBe(200);
    await sim.advance(10_000);
    const [failed] = statuses(sim);
    expect(failed).toMatchObject({ status: 'failed', recipient_id: to.slice(1), errors: [{ code: 131047, title: 'Re-engagement message' }] });
  });

  it('delivers a free-form message after the person wrote in, free of charge in the window, and fails it again 24 h later', async () => {
    const sim = makeSimulator();
    const inboundId = sim.controls.inbound({ from: to, text: 'Do you ship to Recife?' });
    expect(inboundId).toMatch(/^wamid\./);
    await sim.advance(60_000);
    await send(sim, textMessage(to, 'Yes, we do!'));
    await sim.advance(10_000);
    const byStatus = Object.fromEntries(statuses(sim).map((status) => [status.status, status]));
    expect(byStatus['sent']?.pricing).toEqual({ billable: false, pricing_model: 'PMP', type: 'free_customer_service', category: 'service' });
    expect(byStatus['delivered']).toBeDefined();
    expect(byStatus['failed']).toBeUndefined();

    await sim.advance(DAY);
    await send(sim, textMessage(to, 'Anything else?'));
    await sim.advance(10_000);
    expect(statuses(sim).at(-1)).toMatchObject({ status: 'failed', errors: [{ code: 131047 }] });
  });

  it('sends the inbound message as a messages webhook with contacts and the text', async () => {
    const sim = makeSimulator();
    const answer = await sim.app.request('/_sim/people/inbound', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: to, text: 'Hi!' }) });
    expect(answer.status).toBe(200);
    await sim.advance(0);
    const [change] = changes(sim.webhooks.delivered());
    expect(change).toMatchObject({
      field: 'messages',
      value: { contacts: [{ wa_id: to.slice(1), profile: { name: expect.any(String) as unknown } }], messages: [{ from: to.slice(1), type: 'text', text: { body: 'Hi!' } }] },
    });
  });

  it('can answer 131047 synchronously instead, when configured so', async () => {
    const sim = makeSimulator({ reengagementSurface: 'sync' });
    expect(errorCode(await send(sim, textMessage(to, 'Hello')))).toBe(131047);
    sim.controls.inbound({ from: to, text: 'hi' });
    expect((await graph(sim, 'POST', `/106540352242922/messages`, textMessage(to, 'Hello'))).status).toBe(200);
  });
});
