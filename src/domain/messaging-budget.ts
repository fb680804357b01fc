// Decision step 8, the portfolio's messaging limit: unique contacts reached outside a service window in
// a rolling 24 h, shared by every sender of the portfolio (whatsapp-rules.md §1.1, §1.5, §12). Pure: the
// caller counts the window; this decides whether one more contact fits.

/** The portfolio's 24 h window as the caller counted it just now. */
export type MessagingBudgetState = {
  /** Meta's limit (messaging-limit.ts); null is unlimited. */
  usersPer24h: number | null;
  /** The share of the limit Greenlight lets itself use (0.9 = 90 %), headroom for sends it cannot see (§1.5). */
  safetyMargin: number;
  /** Unique contacts reached outside a service window in the last 24 h, across all senders. */
  reachedUsers: number;
  /** Whether this contact is already among them: the limit counts people, not messages (§1.1). */
  contactAlreadyCounted: boolean;
  /** When the oldest counted contact was reached; the first slot frees 24 h after it. */
  oldestCountedAt: Date | null;
};

export type MessagingBudgetOutcome = { kind: 'ok'; countsAgainstLimit: boolean } | { kind: 'defer'; until: Date; detail: string };

const WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * With a budget of 0 (Meta's TIER_NOT_SET, messaging-limit.ts) or no known oldest entry nothing is due
 * to leave the window, so the message is looked at again after this wait, when the limit may have been read anew.
 */
export const MESSAGING_LIMIT_RECHECK_MS = 60 * 60 * 1000;

export function budgetUsers(state: Pick<MessagingBudgetState, 'usersPer24h' | 'safetyMargin'>): number | null {
  if (state.usersPer24h === null) return null;
  const margin = Math.min(Math.max(state.safetyMargin, 0), 1);
  return Math.floor(state.usersPer24h * margin);
}

/**
 * Inside a service window the message does not count (§1.1: replies inside an open window do not). A
 * contact already counted costs nothing more. Otherwise one slot must be free under limit × margin, or the
 * message waits until the oldest counted contact leaves the 24 h window (§12: large campaigns spread over days).
 */
export function decideMessagingLimit(state: MessagingBudgetState, insideServiceWindow: boolean, now: Date): MessagingBudgetOutcome {
  if (insideServiceWindow) return { kind: 'ok', countsAgainstLimit: false };
  if (state.contactAlreadyCounted) return { kind: 'ok', countsAgainstLimit: false };
  const budget = budgetUsers(state);
  if (budget === null || state.reachedUsers < budget) return { kind: 'ok', countsAgainstLimit: true };
  const detail = `${state.reachedUsers} unique contacts reached outside a service window in 24 h; the budget is ${budget} (${state.usersPer24h} × ${state.safetyMargin})`;
  const freesAt = budget > 0 && state.oldestCountedAt !== null ? state.oldestCountedAt.getTime() + WINDOW_MS : now.getTime() + MESSAGING_LIMIT_RECHECK_MS;
  // A count that still holds a contact older than 24 h is the caller's to refresh; looking again at once is right.
  return { kind: 'defer', until: new Date(Math.max(freesAt, now.getTime() + 1)), detail };
}
