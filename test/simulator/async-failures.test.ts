// Failures Meta reports only in failed status webhooks: undeliverable numbers (131026), the US marketing
// pause (§8.3, 131049 here: Meta names no code), the per-user marketing cap (131049), a user who stopped
// marketing (131050) and the portfolio's messaging limit (§1.5: no documented code; 131000 here).

import { describe, expect, it } from 'vitest';
import { brazilNumber, makeSimulator, send, statuses, templateMessage, text } from './sim-harness.ts';

const failedCodes = (sim: ReturnType<typeof makeSimulator>) => statuses(sim).filter((status) => status.status === 'failed').map((status) => [status.recipient_id, status.errors?.[0]?.code]);
const marketing = (to: string) => templateMessage(to, 'spring_sale', [text('Ana')]);

describe('asynchronous failures', () => {
  it('fails messages to numbers that are not on WhatsApp with 131026 (by pattern, by knob, or a seeded share)', async () => {
    const sim = makeSimulator({ population: { notOnWhatsAppShare: 0, undeliverablePattern: '^551190000' } });
    sim.controls.markUndeliverable([brazilNumber(2)]);
    for (const to of ['+5511900001234', brazilNumber(2), brazilNumber(3)]) await send(sim, marketing(to));
    await sim.advance(10_000);
    expect(failedCodes(sim)).toEqual([
      ['5511900001234', 131026],
      [brazilNumber(2).slice(1), 131026],
    ]);

    const seeded = makeSimulator({ population: { notOnWhatsAppShare: 0.1 } });
    for (let index = 0; index < 1_000; index += 1) {
      await send(seeded, marketing(brazilNumber(index)));
      if (index % 50 === 49) await seeded.advance(1_000);
    }
    await seeded.advance(10_000);
    expect(failedCodes(seeded).length).toBeGreaterThan(70);
    expect(failedCodes(seeded).length).toBeLessThan(130);
  });

  it('does not deliver marketing templates to US numbers, but does to Canadian +1 numbers', async () => {
    const sim = makeSimulator();
    await send(sim, marketing('+12125550123'));
    await send(sim, marketing('+14165550123'));
    await sim.advance(10_000);
    expect(failedCodes(sim)).toEqual([['12125550123', 131049]]);
  });

  it('applies the per-user marketing cap with 131049, except in the EEA', async () => {
    const sim = makeSimulator();
    const brazilian = brazilNumber(1);
    const german = '+4915112345678';
    for (let index = 0; index < 8; index += 1) {
      await send(sim, marketing(brazilian));
      await send(sim, marketing(german));
      await sim.advance(60_000);
    }
    const failures = failedCodes(sim);
    expect(failures.filter(([recipient]) => recipient === brazilian.slice(1)).length).toBeGreaterThanOrEqual(3);
    expect(failures.every(([, code]) => code === 131049)).toBe(true);
    expect(failures.some(([recipient]) => recipient === german.slice(1))).toBe(false);
  });

  it('fails marketing to a person who stopped marketing messages with 131050 after the user_preferences webhook', async () => {
    const sim = makeSimulator();
    const to = brazilNumber(4);
    sim.controls.inbound({ from: to, text: 'hello' });
    // The person stops marketing in WhatsApp's settings (what a simulated person may do on their own).
    sim.controls.setMarketingPreference(to, 'stop');
    await send(sim, marketing(to));
    await sim.advance(10_000);
    expect(failedCodes(sim)).toEqual([[to.slice(1), 131050]]);
  });

  it('stops delivering templates to new users outside a window once the messaging limit tier is used up', async () => {
    const sim = makeSimulator({ messagingLimitTier: 'TIER_50' });
    for (let index = 0; index < 55; index += 1) await send(sim, marketing(brazilNumber(index)));
    await sim.advance(10_000);
    expect(failedCodes(sim).map(([, code]) => code)).toEqual([131000, 131000, 131000, 131000, 131000]);
  });
});
