// What the simulator accepted, to whom, when, with the request as sent, and what became of it (its latest
// status and error): the in-process view of GET /_sim/sent, for assertions.

import type { MessageCategory } from './reactions.ts';

export type SendRoute = 'cloud_api' | 'marketing_messages';
export type MessageState = 'accepted' | 'held' | 'sent' | 'delivered' | 'read' | 'failed';

export type SentMessage = {
  wamid: string;
  phoneNumberId: string;
  wabaId: string;
  /** `to` as the client wrote it, and the digits Meta keys the user by. */
  to: string;
  waId: string;
  route: SendRoute;
  type: string;
  payload: unknown;
  acceptedAtMs: number;
  messageStatus: 'accepted' | 'held_for_quality_assessment' | null;
  templateId: string | null;
  templateName: string | null;
  /** The template's pause count when sent: feedback counts only toward the template's current assessment. */
  templateEpoch: number;
  category: MessageCategory;
  /** The pricing category of the status webhook: marketing_lite through the Marketing Messages API. */
  pricingCategory: string;
  inWindow: boolean;
  /** Hydrated text (template) or body (free-form): what the simulated person reads. */
  text: string;
  bizOpaqueCallbackData: string | null;
  state: MessageState;
  errorCode: number | null;
};

export type SentFilter = { to?: string; phoneNumberId?: string; templateName?: string; sinceMs?: number };

export function createSentLog() {
  const messages: SentMessage[] = [];
  const byWamid = new Map<string, SentMessage>();
  return {
    add: (message: SentMessage) => {
      messages.push(message);
      byWamid.set(message.wamid, message);
    },
    get: (wamid: string) => byWamid.get(wamid),
    list: (filter: SentFilter = {}) =>
      messages.filter(
        (message) =>
          (filter.to === undefined || message.waId === filter.to.replace(/\D/g, '') || message.to === filter.to) &&
          (filter.phoneNumberId === undefined || message.phoneNumberId === filter.phoneNumberId) &&
          (filter.templateName === undefined || message.templateName === filter.templateName) &&
          (filter.sinceMs === undefined || message.acceptedAtMs >= filter.sinceMs),
      ),
  };
}

export type SentLog = ReturnType<typeof createSentLog>;
