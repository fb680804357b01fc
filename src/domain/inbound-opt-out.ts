// Decides whether an inbound WhatsApp message is an opt-out, and from what: a "Stop promotions"
// button or wording stops marketing only; a plain STOP stops every category. Pure.

import type { ConsentCategory } from './consent.ts';
import { detectOptOut } from './opt-out-keywords.ts';

/** The payload Greenlight's starter templates put on their "Stop promotions" quick-reply button. */
export const STOP_PROMOTIONS_PAYLOAD = 'STOP_PROMOTIONS';

export type InboundOptOut = { categories: ConsentCategory[]; keyword: string; language: string | null };

// A keyword that names promotions stops marketing only; the person still wants their order updates.
const promotionsWord = /PROMO|WERBUNG|OFERTA|OFFER|ANGEBOT|PUBLICIDAD|RECLAME|REKLAM|PUBBLICIT/i;
// Payloads business teams commonly give their opt-out buttons (STOP_PROMOTIONS, stop-promos, UNSUBSCRIBE_MARKETING…).
const marketingOptOutPayload = /^(stop[\s_-]?promo|unsubscribe[\s_-]?marketing|opt[\s_-]?out[\s_-]?marketing)/i;
const fullOptOutPayload = /^(stop|unsubscribe|opt[\s_-]?out)$/i;

export function decideInboundOptOut(message: { text: string | null; payload: string | null }): InboundOptOut | null {
  const payload = message.payload?.trim() ?? '';
  if (marketingOptOutPayload.test(payload)) return { categories: ['marketing'], keyword: payload, language: null };
  if (fullOptOutPayload.test(payload)) return { categories: ['marketing', 'utility'], keyword: payload, language: null };
  if (!message.text) return null;
  const match = detectOptOut(message.text);
  if (!match) return null;
  const categories: ConsentCategory[] = promotionsWord.test(match.keyword) ? ['marketing'] : ['marketing', 'utility'];
  return { categories, keyword: match.keyword, language: match.language };
}
