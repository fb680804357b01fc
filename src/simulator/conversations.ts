// What Meta tracks between a business and its users: the 24 h customer service window per (business
// number, user) (§7.1), and the portfolio's unique users reached outside a window in a moving 24 h,
// checked against the messaging limit tier (§1.1).

const DAY_MS = 86_400_000;

export function createConversations(options: { usersPerDay: () => number }) {
  const lastInbound = new Map<string, number>();
  // Moving 24 h set of users reached outside a window: map for membership, queue for expiry.
  const reached = new Map<string, number>();
  const reachedQueue: Array<{ waId: string; atMs: number }> = [];
  let queueStart = 0;

  const prune = (nowMs: number) => {
    while (queueStart < reachedQueue.length) {
      const oldest = reachedQueue[queueStart];
      if (oldest === undefined || oldest.atMs > nowMs - DAY_MS) break;
      if (reached.get(oldest.waId) === oldest.atMs) reached.delete(oldest.waId);
      queueStart += 1;
    }
    if (queueStart > 10_000) {
      reachedQueue.splice(0, queueStart);
      queueStart = 0;
    }
  };

  return {
    /** Each message or call from the user opens or resets the window (§6.1, §7.1). */
    recordInbound: (phoneNumberId: string, waId: string, atMs: number) => void lastInbound.set(`${phoneNumberId}|${waId}`, atMs),
    isWindowOpen: (phoneNumberId: string, waId: string, nowMs: number) => {
      const atMs = lastInbound.get(`${phoneNumberId}|${waId}`);
      return atMs !== undefined && nowMs - atMs < DAY_MS;
    },
    /**
     * Counts `waId` against the portfolio's limit; false when reaching one more unique user would exceed it.
     * A user already reached in the last 24 h does not count again (§1.1: "people, not messages").
     */
    reachOutsideWindow: (waId: string, nowMs: number): boolean => {
      prune(nowMs);
      if (!reached.has(waId) && reached.size >= options.usersPerDay()) return false;
      reached.set(waId, nowMs);
      reachedQueue.push({ waId, atMs: nowMs });
      return true;
    },
    reachedLastDay: (nowMs: number) => {
      prune(nowMs);
      return reached.size;
    },
  };
}

export type Conversations = ReturnType<typeof createConversations>;
