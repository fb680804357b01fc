// The customer service window and free entry point of one contact with one sender, and what Meta
// charges for a message given them (whatsapp-rules.md §7.1, §7.2). Pure; callers pass `now`.

import type { TemplateCategory } from './template.ts';

/** What is known of this contact's conversation with the campaign's sender. */
export type ServiceWindowState = {
  /** The contact's last inbound message or call to this sender: opens (and resets) the 24 h window. */
  lastInboundAt: Date | null;
  /**
   * The last inbound message from a Click-to-WhatsApp ad or Page call-to-action that the business
   * answered within 24 h, opening a 72 h free entry point (§7.1).
   */
  lastReferralAt: Date | null;
};

const HOUR_MS = 60 * 60 * 1000;
export const SERVICE_WINDOW_MS = 24 * HOUR_MS;
export const FREE_ENTRY_POINT_MS = 72 * HOUR_MS;

/**
 * A message decided in the window's last minutes may reach Meta after it closed: free-form text then
 * fails with 131047 and an in-window send may count against the messaging limit after all (§12: "minus a
 * safety margin"). The margin covers a queue's usual wait between the decision and the send.
 */
export const SERVICE_WINDOW_SAFETY_MARGIN_MS = 15 * 60 * 1000;

/**
 * How far ahead of our clock an inbound message's timestamp may be and still count: Meta stamps it with
 * its own clock, a few seconds off ours, and a reply that arrived must open the window at once. A
 * timestamp further ahead is not believed (the window stays closed, the safe side).
 */
export const INBOUND_CLOCK_SKEW_MS = 5 * 60 * 1000;

/** §7.1: free-form messages only within 24 h of the contact's last inbound message, less the safety margin. */
export function isServiceWindowOpen(state: ServiceWindowState, now: Date): boolean {
  if (state.lastInboundAt === null) return false;
  const age = now.getTime() - state.lastInboundAt.getTime();
  return age >= -INBOUND_CLOCK_SKEW_MS && age < SERVICE_WINDOW_MS - SERVICE_WINDOW_SAFETY_MARGIN_MS;
}

/**
 * §7.1: the free entry point runs 72 h from the business's reply, which follows the referral; counting
 * from the referral ends it early, so an estimate errs towards "charged".
 */
export function isFreeEntryPointOpen(state: ServiceWindowState, now: Date): boolean {
  if (state.lastReferralAt === null) return false;
  const age = now.getTime() - state.lastReferralAt.getTime();
  return age >= 0 && age < FREE_ENTRY_POINT_MS;
}

/** §7.2: from this day service messages and in-window utility templates are charged at the utility rate. */
export const IN_WINDOW_CHARGING_FROM = new Date(Date.UTC(2026, 9, 1));

/** Which rate of the rate card applies, and whether Meta charges the message at all; the price is the dispatcher's (step 11). */
export type MessagePricing = { rate: 'marketing' | 'utility' | 'authentication'; charged: boolean; why: string };

export function decideMessagePricing(via: 'template' | 'session', category: TemplateCategory, state: ServiceWindowState, now: Date): MessagePricing {
  const rate = via === 'session' ? 'utility' : (category.toLowerCase() as MessagePricing['rate']);
  if (isFreeEntryPointOpen(state, now)) return { rate, charged: false, why: 'inside a free entry point: every message is free (§7.1)' };
  const inWindowCharged = now.getTime() >= IN_WINDOW_CHARGING_FROM.getTime();
  if (via === 'session') {
    return inWindowCharged ? { rate, charged: true, why: 'service messages are charged at the utility rate from 2026-10-01 (§7.2)' } : { rate, charged: false, why: 'service messages are free before 2026-10-01 (§7.2)' };
  }
  if (category === 'UTILITY' && isServiceWindowOpen(state, now) && !inWindowCharged) return { rate, charged: false, why: 'utility templates inside the service window are free before 2026-10-01 (§7.2)' };
  return { rate, charged: true, why: `a delivered ${category.toLowerCase()} template is charged (§7.2)` };
}
