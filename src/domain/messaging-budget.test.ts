import { describe, expect, it } from 'vitest';
import type { MessagingBudgetState } from './messaging-budget.ts';
import { budgetUsers, decideMessagingLimit, MESSAGING_LIMIT_RECHECK_MS } from './messaging-budget.ts';

const now = new Date('2026-06-10T12:00:00Z');
const HOUR = 60 * 60 * 1000;
const state = (overrides: Partial<MessagingBudgetState> = {}): MessagingBudgetState => ({
  usersPer24h: 250,
  safetyMargin: 0.9,
  reachedUsers: 0,
  contactAlreadyCounted: false,
  oldestCountedAt: null,
  ...overrides,
});

describe('decideMessagingLimit', () => {
  it.each([
    ['counts a new contact reached outside a window under the budget', state({ reachedUsers: 224 }), false, { kind: 'ok', countsAgainstLimit: true }],
    ['does not count a contact already reached in the window against the limit again', state({ reachedUsers: 225, contactAlreadyCounted: true }), false, { kind: 'ok', countsAgainstLimit: false }],
    ['does not count a message inside the contact’s service window, even with the budget spent', state({ reachedUsers: 225 }), true, { kind: 'ok', countsAgainstLimit: false }],
    ['never holds back an unlimited portfolio', state({ usersPer24h: null, reachedUsers: 1_000_000 }), false, { kind: 'ok', countsAgainstLimit: true }],
  ])('%s', (_name, budget, inside, expected) => {
    expect(decideMessagingLimit(budget, inside, now)).toEqual(expected);
  });

  it('defers until the oldest counted recipient leaves the 24 h window when limit × margin is reached', () => {
    const outcome = decideMessagingLimit(state({ reachedUsers: 225, oldestCountedAt: new Date(now.getTime() - 20 * HOUR) }), false, now);
    expect(outcome).toMatchObject({ kind: 'defer', until: new Date(now.getTime() + 4 * HOUR) });
  });

  it('looks again after an hour when the limit is 0 (TIER_NOT_SET): nothing will leave the window', () => {
    const outcome = decideMessagingLimit(state({ usersPer24h: 0 }), false, now);
    expect(outcome).toMatchObject({ kind: 'defer', until: new Date(now.getTime() + MESSAGING_LIMIT_RECHECK_MS) });
  });

  it.each([
    ['keeps 90 % of 250', 250, 0.9, 225],
    ['keeps 90 % of 2,000', 2000, 0.9, 1800],
    ['clamps a margin over 1 to the limit itself', 250, 1.5, 250],
    ['reads no limit as no budget cap', null, 0.9, null],
  ])('budgetUsers %s', (_name, usersPer24h, safetyMargin, expected) => {
    expect(budgetUsers({ usersPer24h, safetyMargin })).toBe(expected);
  });
});
