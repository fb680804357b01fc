// Pins the campaign life cycle (product.md, States: draft → scheduled → running ⇄ paused → completed |
// cancelled): which command may run in which state, and the words a refusal uses. Pure unit tests.
import { describe, expect, it } from 'vitest';
import { CAMPAIGN_STATES, canApply, isFinished, refusal, statesAllowing, type CampaignCommand, type CampaignState } from './campaign-state.ts';

/** The life cycle written out by hand, one row per command: the states it may start from. */
const ALLOWED: Record<CampaignCommand, readonly CampaignState[]> = {
  launch: ['draft'],
  start: ['scheduled'],
  pause: ['scheduled', 'running'],
  resume: ['paused'],
  cancel: ['draft', 'scheduled', 'running', 'paused'],
  complete: ['running'],
};
const COMMANDS = Object.keys(ALLOWED) as CampaignCommand[];
const EVERY_PAIR = COMMANDS.flatMap((command) => CAMPAIGN_STATES.map((state) => [command, state, ALLOWED[command].includes(state)] as const));

describe('the transition table', () => {
  it.each(EVERY_PAIR)('%s from %s is allowed: %s', (command, state, allowed) => {
    expect(canApply(command, state)).toBe(allowed);
  });

  it.each(COMMANDS)('lists exactly the states %s may start from', (command) => {
    expect([...statesAllowing(command)].sort()).toEqual([...ALLOWED[command]].sort());
  });

  it('lets a campaign be cancelled from every state that is not finished', () => {
    expect(CAMPAIGN_STATES.filter((state) => canApply('cancel', state))).toEqual(CAMPAIGN_STATES.filter((state) => !isFinished(state)));
  });
});

describe('finished campaigns', () => {
  it('counts completed and cancelled, and only those, as finished', () => {
    expect(CAMPAIGN_STATES.filter(isFinished)).toEqual(['completed', 'cancelled']);
  });

  it.each(COMMANDS.flatMap((command) => (['completed', 'cancelled'] as const).map((state) => [command, state] as const)))('refuse %s when %s, saying nothing can change it and to create a new campaign', (command, state) => {
    expect(canApply(command, state)).toBe(false);
    expect(refusal(command, state)).toBe(`the campaign is ${state}; nothing can change it now (create a new campaign)`);
  });
});

describe('refusal', () => {
  it.each(EVERY_PAIR.filter(([, state, allowed]) => !allowed && !isFinished(state)))('names the state and the states that allow it when %s is refused in %s', (command, state) => {
    const message = refusal(command, state);
    expect(message).toContain(`cannot ${command} a ${state} campaign`);
    for (const allowedState of ALLOWED[command]) expect(message).toContain(allowedState);
  });

  it('reads as a sentence a person can act on', () => {
    expect(refusal('resume', 'running')).toBe('cannot resume a running campaign (only a paused one)');
    expect(refusal('pause', 'draft')).toBe('cannot pause a draft campaign (only a scheduled or running one)');
  });
});
