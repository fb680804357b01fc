// Decision step 9, pacing (product.md): the rate a campaign may send at from one sender, and the
// per-contact gap. Pure; the shared slot reservation that holds the rate across processes is
// store/sender-pacing.ts.

/** Meta's throughput per number (whatsapp-rules.md §2): 80 mps by default, 1,000 after an upgrade. */
export function senderMps(throughputLevel: string | null): number {
  return throughputLevel?.toUpperCase() === 'HIGH' ? 1000 : 80;
}

/**
 * The campaign's rate: the sender's mps times the share left to campaigns (the rest is headroom for
 * replies and other traffic, senders.throughput_share), and never above the campaign's own `rate`.
 */
export function campaignRate(throughputLevel: string | null, throughputShare: number, campaignMps: number | null): number {
  const senderShare = senderMps(throughputLevel) * throughputShare;
  return Math.max(0.1, campaignMps === null ? senderShare : Math.min(senderShare, campaignMps));
}

/** §2: one message per 6 s from one business number to one user; more borrows quota and ends in 131056. */
export const PAIR_GAP_MS = 6_000;

/**
 * The moment the contact may get the next message from this sender, or null when it may now. `lastSentAt`
 * is the last message this sender sent the contact (any campaign).
 */
export function pairGapUntil(lastSentAt: Date | null, now: Date): Date | null {
  if (lastSentAt === null) return null;
  const until = lastSentAt.getTime() + PAIR_GAP_MS;
  return until > now.getTime() ? new Date(until) : null;
}

/**
 * Slots are spaced for 97 % of the rate: a request leaves a little after its slot (timers, the
 * database write before it) and its trip to Meta varies. The dispatcher drops a slot it would use more
 * than 15 ms late (send-batch.ts, lateSlotToleranceMs), so a 1 s window holds at most
 * 0.97 × R × 1.015 + 1 sends: under R for any R of 80 and up, with room for transit jitter.
 */
export const PACING_MARGIN = 0.97;

export function slotIntervalMs(ratePerSecond: number): number {
  return 1000 / (ratePerSecond * PACING_MARGIN);
}
