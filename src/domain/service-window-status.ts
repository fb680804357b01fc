// What the inbox shows about a customer service window: open or not, and when Greenlight stops
// sending free-form messages in it. Pure; the rule itself is service-window.ts.

import { isServiceWindowOpen, SERVICE_WINDOW_MS, SERVICE_WINDOW_SAFETY_MARGIN_MS } from './service-window.ts';

export type ServiceWindowStatus = { open: boolean; closesAt: Date | null };

/**
 * `closesAt` is the moment `open` turns false: 24 h after the last inbound message (§7.1) less the
 * safety margin (service-window.ts), so what the inbox shows is exactly when a free-form send is refused.
 * Null when the contact never wrote to the sender.
 */
export function serviceWindowStatus(lastInboundAt: Date | null, now: Date): ServiceWindowStatus {
  if (lastInboundAt === null) return { open: false, closesAt: null };
  return {
    open: isServiceWindowOpen({ lastInboundAt, lastReferralAt: null }, now),
    closesAt: new Date(lastInboundAt.getTime() + SERVICE_WINDOW_MS - SERVICE_WINDOW_SAFETY_MARGIN_MS),
  };
}
