// §2 pair rate limit: 1 message per 6 s from one business number to one user, with bursts of up to 45
// that borrow future quota (modelled as a token bucket of 45 refilled at 1 per 6 s); error 131056.

import { describe, expect, it } from 'vitest';
import { brazilNumber, errorCode, makeSimulator, send, templateMessage, text } from './sim-harness.ts';

const to = brazilNumber(1);
const message = (recipient = to) => templateMessage(recipient, 'spring_sale', [text('Ana')]);

describe('pair rate limit (131056)', () => {
  it('accepts a burst of 45 messages to one user, then refuses the 46th with 131056', async () => {
    const sim = makeSimulator();
    const answers = [];
    for (let index = 0; index < 46; index += 1) answers.push(await send(sim, message()));
    expect(answers.slice(0, 45).every((answer) => answer.status === 200)).toBe(true);
    expect(errorCode(answers[45] ?? { status: 0, body: {} })).toBe(131056);
  });

  it('after the burst, accepts one message per 6 s to that user and leaves other users unaffected', async () => {
    const sim = makeSimulator();
    for (let index = 0; index < 45; index += 1) await send(sim, message());
    expect(errorCode(await send(sim, message()))).toBe(131056);
    expect((await send(sim, message(brazilNumber(2)))).status).toBe(200);

    await sim.advance(3_000);
    expect(errorCode(await send(sim, message()))).toBe(131056);
    await sim.advance(3_000);
    expect((await send(sim, message())).status).toBe(200);
    expect(errorCode(await send(sim, message()))).toBe(131056);

    // One attempt per second for a minute: 10 accepted (one per 6 s).
    let accepted = 0;
    for (let second = 0; second < 60; second += 1) {
      await sim.advance(1_000);
      if ((await send(sim, message())).status === 200) accepted += 1;
    }
    expect(accepted).toBe(10);
  });

  it('pays back borrowed quota: after a burst of 20 the pair is whole again about 2 minutes later', async () => {
    const sim = makeSimulator();
    for (let index = 0; index < 45; index += 1) await send(sim, message());
    await sim.advance(20 * 6_000);
    let accepted = 0;
    for (let index = 0; index < 25; index += 1) if ((await send(sim, message())).status === 200) accepted += 1;
    expect(accepted).toBe(20);
  });

  it('explains the wait in the 131056 details', async () => {
    const sim = makeSimulator({ pairRate: { burst: 1, intervalMs: 6_000 } });
    await send(sim, message());
    const answer = await send(sim, message());
    const error = answer.body['error'] as { error_data: { details: string } };
    expect(error.error_data.details).toMatch(/Next message allowed in about 6 s/);
  });
});
