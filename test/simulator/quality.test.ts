// §8.4 and §4.1: quality falls when simulated people block and report unwanted messages. Spam to people who
// never opted in turns the number and the template RED; a RED template is paused (3 h, then 6 h), then
// disabled; the same campaign to opted-in people stays GREEN. New templates are paced (held, then released or dropped).

import { describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator/create-simulator.ts';
import {
  brazilNumber,
  errorCode,
  graph,
  makeSimulator,
  PHONE_ID,
  send,
  statuses,
  templateMessage,
  templateQualityEvents,
  templateStatusEvents,
  text,
  WABA_ID,
} from './sim-harness.ts';

const HOUR = 3_600_000;
const SPAM = {
  name: 'mega_sale',
  language: 'en_US',
  category: 'MARKETING',
  components: [{ type: 'BODY', text: 'Hi {{1}}, LAST CHANCE!!! HUGE SALE ends TODAY. Act now: bit.ly/mega-sale before it is gone.' }],
};

/** Sends the spam template to `count` new people (from `first`), 50 per simulated second; returns the answers' message_status or error code. */
async function campaign(sim: Simulator, first: number, count: number, options: { optedIn: boolean }): Promise<Array<string | number>> {
  const numbers = Array.from({ length: count }, (_, index) => brazilNumber(first + index));
  if (options.optedIn) sim.controls.optIn(numbers);
  const outcomes: Array<string | number> = [];
  for (const [index, to] of numbers.entries()) {
    const answer = await send(sim, templateMessage(to, SPAM.name, [text('Ana')]));
    const status = (answer.body['messages'] as Array<{ message_status?: string }> | undefined)?.[0]?.message_status;
    outcomes.push(status ?? errorCode(answer) ?? -1);
    if (index % 50 === 49) await sim.advance(1_000);
  }
  return outcomes;
}

async function createApproved(sim: Simulator): Promise<string> {
  const created = await graph(sim, 'POST', `/${WABA_ID}/message_templates`, SPAM);
  await sim.advance(60_000);
  return String(created.body['id']);
}

const phoneQuality = async (sim: Simulator) => (await graph(sim, 'GET', `/${PHONE_ID}?fields=quality_rating`)).body['quality_rating'];

describe('quality and template pausing', () => {
  it('turns the number and a new template RED and pauses the template when a campaign spams people who never opted in', async () => {
    const sim = makeSimulator();
    const templateId = await createApproved(sim);
    const outcomes = await campaign(sim, 0, 300, { optedIn: false });
    expect(outcomes.filter((outcome) => outcome === 'accepted')).toHaveLength(100);
    expect(outcomes.filter((outcome) => outcome === 'held_for_quality_assessment')).toHaveLength(200);

    await sim.advance(2 * HOUR);
    expect(sim.templates.get(templateId)).toMatchObject({ status: 'PAUSED', quality: 'RED' });
    expect(await phoneQuality(sim)).toBe('RED');
    expect(templateStatusEvents(sim).map((event) => [event.event, event.other_info?.title ?? null])).toEqual([
      ['APPROVED', null],
      ['PAUSED', 'FIRST_PAUSE'],
    ]);
    expect(templateQualityEvents(sim).at(-1)).toMatchObject({ new_quality_score: 'RED', message_template_name: 'mega_sale', message_template_language: 'en-US' });
    // §4.1 pacing: every held message is dropped with a failed status carrying 132015.
    const dropped = statuses(sim).filter((status) => status.status === 'failed' && status.errors?.[0]?.code === 132015);
    expect(dropped).toHaveLength(200);
    expect(errorCode(await send(sim, templateMessage(brazilNumber(9_999), SPAM.name, [text('Ana')])))).toBe(132015);
  });

  it('pauses a repeated spam campaign again (SECOND_PAUSE) and disables the template the third time, after which sends get 132016', async () => {
    const sim = makeSimulator();
    const templateId = await createApproved(sim);
    for (let round = 0; round < 3; round += 1) {
      await campaign(sim, round * 300, 300, { optedIn: false });
      await sim.advance(2 * HOUR);
      if (round < 2) {
        expect(sim.templates.get(templateId)?.status).toBe('PAUSED');
        // Paused while paced: only a manual unpause brings it back (§4.1).
        expect((await graph(sim, 'POST', `/${templateId}/unpause`)).body).toEqual({ success: true });
      }
    }
    expect(sim.templates.get(templateId)?.status).toBe('DISABLED');
    const events = templateStatusEvents(sim);
    expect(events.map((event) => `${event.event}:${event.other_info?.title ?? ''}`)).toEqual([
      'APPROVED:',
      'PAUSED:FIRST_PAUSE',
      'APPROVED:UNPAUSE',
      'PAUSED:SECOND_PAUSE',
      'APPROVED:UNPAUSE',
      'DISABLED:DISABLED',
    ]);
    expect(events.at(-1)?.disable_info?.disable_date).toEqual(expect.any(Number));
    expect(errorCode(await send(sim, templateMessage(brazilNumber(9_999), SPAM.name, [text('Ana')])))).toBe(132016);
    expect((await graph(sim, 'DELETE', `/${WABA_ID}/message_templates?name=mega_sale`)).status).toBe(400);
  });

  it('keeps the number and the template GREEN when the same campaign goes to people who opted in, and releases the held messages', async () => {
    const sim = makeSimulator();
    const templateId = await createApproved(sim);
    const outcomes = await campaign(sim, 0, 300, { optedIn: true });
    expect(outcomes.filter((outcome) => outcome === 'held_for_quality_assessment')).toHaveLength(200);
    await sim.advance(2 * HOUR);
    expect(sim.templates.get(templateId)).toMatchObject({ status: 'APPROVED', quality: 'GREEN' });
    expect(await phoneQuality(sim)).toBe('GREEN');
    const delivered = new Set(statuses(sim).filter((status) => status.status === 'delivered').map((status) => status.id));
    expect(delivered.size).toBe(300);
    // A GREEN template is no longer paced.
    expect(await campaign(sim, 1_000, 10, { optedIn: true })).toEqual(Array(10).fill('accepted'));
  });

  it('unpauses a RED template that was not being paced by itself after 3 hours, with an UNPAUSE status webhook', async () => {
    const sim = makeSimulator({ templates: [SPAM] });
    const templateId = sim.templates.find(WABA_ID, 'mega_sale', 'en_US')?.id ?? '';
    await campaign(sim, 0, 300, { optedIn: false });
    await sim.advance(HOUR);
    const pausedAt = sim.clock.nowMs();
    expect(sim.templates.get(templateId)?.status).toBe('PAUSED');
    expect(errorCode(await send(sim, templateMessage(brazilNumber(9_999), SPAM.name, [text('Ana')])))).toBe(132015);
    const pausedUntil = sim.templates.get(templateId)?.pausedUntilMs ?? 0;
    expect(pausedUntil - pausedAt).toBeLessThanOrEqual(3 * HOUR);
    await sim.advance(pausedUntil - sim.clock.nowMs());
    expect(sim.templates.get(templateId)?.status).toBe('APPROVED');
    expect(templateStatusEvents(sim).at(-1)).toMatchObject({ event: 'APPROVED', other_info: { title: 'UNPAUSE' } });
  });

  it('reflects a forced sender quality in the phone number fields', async () => {
    const sim = makeSimulator();
    expect(await phoneQuality(sim)).toBe('GREEN');
    sim.controls.setSenderQuality(PHONE_ID, 'YELLOW');
    expect(await phoneQuality(sim)).toBe('YELLOW');
    sim.controls.setSenderQuality(PHONE_ID, null);
    expect(await phoneQuality(sim)).toBe('GREEN');
  });
});
