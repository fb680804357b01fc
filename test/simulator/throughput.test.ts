// §2 throughput: a business number sends at most its level's messages per second (STANDARD 80, HIGH 1,000);
// beyond that Meta answers 130429 until the sender is back under the level.

import { describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator/create-simulator.ts';
import { brazilNumber, errorCode, makeSimulator, PHONE_ID, send, templateMessage, text, WABA_ID } from './sim-harness.ts';

/** Sends `perSecond` messages per simulated second for `seconds`, in 10 slices a second; returns accepted counts per second. */
async function sendAtRate(sim: Simulator, perSecond: number, seconds: number): Promise<{ acceptedPerSecond: number[]; codes: Set<number> }> {
  const acceptedPerSecond: number[] = [];
  const codes = new Set<number>();
  let recipient = 0;
  for (let second = 0; second < seconds; second += 1) {
    let accepted = 0;
    for (let slice = 0; slice < 10; slice += 1) {
      for (let index = 0; index < perSecond / 10; index += 1) {
        const answer = await send(sim, templateMessage(brazilNumber((recipient += 1)), 'spring_sale', [text('Ana')]));
        if (answer.status === 200) accepted += 1;
        else codes.add(errorCode(answer) ?? -1);
      }
      await sim.advance(100);
    }
    acceptedPerSecond.push(accepted);
  }
  return { acceptedPerSecond, codes };
}

describe('throughput (130429)', () => {
  it('accepts about 80 messages per second at STANDARD throughput when sent twice as fast, and refuses the rest with 130429', async () => {
    const sim = makeSimulator({ messagingLimitTier: 'TIER_UNLIMITED' });
    const { acceptedPerSecond, codes } = await sendAtRate(sim, 160, 5);
    // The first second also spends the bucket's one-second burst; after it the rate is the level's.
    expect(acceptedPerSecond[0]).toBeGreaterThanOrEqual(150);
    const steady = acceptedPerSecond.slice(1);
    for (const perSecond of steady) expect(perSecond).toBeGreaterThanOrEqual(76);
    for (const perSecond of steady) expect(perSecond).toBeLessThanOrEqual(84);
    expect([...codes]).toEqual([130429]);
  });

  it('accepts about 1,000 messages per second at HIGH throughput', async () => {
    const sim = makeSimulator({ messagingLimitTier: 'TIER_UNLIMITED', phoneNumbers: [{ id: PHONE_ID, wabaId: WABA_ID, displayPhoneNumber: '15550783881', throughputLevel: 'HIGH' }] });
    const { acceptedPerSecond, codes } = await sendAtRate(sim, 2_000, 2);
    expect(acceptedPerSecond[1]).toBeGreaterThanOrEqual(950);
    expect(acceptedPerSecond[1]).toBeLessThanOrEqual(1_050);
    expect([...codes]).toEqual([130429]);
  }, 20_000);

  it('gives a coexistence number its fixed 20 messages per second', async () => {
    const sim = makeSimulator({ phoneNumbers: [{ id: PHONE_ID, wabaId: WABA_ID, displayPhoneNumber: '15550783881', mps: 20 }] });
    const { acceptedPerSecond } = await sendAtRate(sim, 40, 3);
    expect(acceptedPerSecond[2]).toBeGreaterThanOrEqual(18);
    expect(acceptedPerSecond[2]).toBeLessThanOrEqual(22);
  });

  it('counts inbound messages against the same throughput as outbound ones', async () => {
    const sim = makeSimulator();
    for (let index = 0; index < 80; index += 1) sim.controls.inbound({ from: brazilNumber(5_000 + index), text: 'hi' });
    const answer = await send(sim, templateMessage(brazilNumber(1), 'spring_sale', [text('Ana')]));
    expect(errorCode(answer)).toBe(130429);
  });

  it('answers 130429 in Meta’s error shape with error_data.details', async () => {
    const sim = makeSimulator();
    sim.controls.throttle({ durationMs: 5_000 });
    const answer = await send(sim, templateMessage(brazilNumber(1), 'spring_sale', [text('Ana')]));
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      error: {
        message: '(#130429) Rate limit hit',
        type: 'OAuthException',
        code: 130429,
        error_data: { messaging_product: 'whatsapp', details: 'Cloud API message throughput has been reached.' },
        fbtrace_id: expect.stringMatching(/^[\w-]{27}$/) as unknown,
      },
    });
    await sim.advance(5_000);
    expect((await send(sim, templateMessage(brazilNumber(1), 'spring_sale', [text('Ana')]))).status).toBe(200);
  });
});
