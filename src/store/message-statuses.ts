// SQL for message status webhooks: each (wamid, status) recorded once, and the message's current
// status merged monotonically from them, whatever order and however often they arrived.

import type { MessageStatusEvent } from '../domain/whatsapp-events.ts';
import type { Db } from './db.ts';

/*
 * insertMessageStatusEvents: records a webhook's statuses in one statement (Meta sends up to 1,000 per
 * POST; one round trip each made processing 60× slower than acknowledging, bench/RESULTS.md).
 * Returns the wamids that gained a status; a (wamid, status) already known is a duplicate delivery.
 */
export async function insertMessageStatusEvents(db: Db, events: readonly MessageStatusEvent[], now: Date): Promise<string[]> {
  if (events.length === 0) return [];
  const rows = events.map((event) => ({
    wamid: event.wamid, phone_number_id: event.phoneNumberId, status: event.status, occurred_at: event.at.toISOString(),
    recipient_wa_id: event.recipient.waId, recipient_user_id: event.recipient.businessUserId, errors: event.errors,
    pricing: event.pricing, biz_opaque_callback_data: event.bizOpaqueCallbackData,
  }));
  const inserted = await db.query<{ wamid: string }>(
    `insert into message_status_events (wamid, phone_number_id, status, occurred_at, recipient_wa_id, recipient_user_id, errors, pricing, biz_opaque_callback_data, recorded_at)
     select wamid, phone_number_id, status, occurred_at, recipient_wa_id, recipient_user_id, coalesce(errors, '[]'::jsonb), pricing, biz_opaque_callback_data, $2
     from jsonb_to_recordset($1::jsonb) as r(wamid text, phone_number_id text, status text, occurred_at timestamptz, recipient_wa_id text,
       recipient_user_id text, errors jsonb, pricing jsonb, biz_opaque_callback_data text)
     on conflict (wamid, status) do nothing returning wamid`,
    [JSON.stringify(rows), now],
  );
  return [...new Set(inserted.map((row) => row.wamid))];
}


/*
 * mergeMessageStatus: moves messages.status forward to the highest-ranked status recorded for the
 * wamid (message_status_rank: sent < delivered < read; failed is terminal), never backward, and
 * keeps the pricing from whichever status carried it (Meta sends it once). A wamid Greenlight has
 * no message row for yet changes nothing here; the send records it and merges again.
 * Returns the status the message has now, or null when there is no such message.
 */
const mergeSql = `
with best as (
  select distinct on (wamid) wamid, status, occurred_at, errors from message_status_events
  where wamid = any($1::text[]) order by wamid, message_status_rank(status) desc, occurred_at desc
), priced as (
  select distinct on (wamid) wamid, pricing from message_status_events
  where wamid = any($1::text[]) and pricing is not null order by wamid, occurred_at
)
update messages m set
  status = case when message_status_rank(best.status) > message_status_rank(m.status) then best.status else m.status end,
  status_at = case when message_status_rank(best.status) > message_status_rank(m.status) then best.occurred_at else m.status_at end,
  error_code = coalesce(m.error_code, (best.errors -> 0 ->> 'code')::integer),
  error_title = coalesce(m.error_title, best.errors -> 0 ->> 'title'),
  error_details = coalesce(m.error_details, best.errors -> 0 ->> 'details'),
  pricing_category = coalesce(m.pricing_category, priced.pricing ->> 'category'),
  pricing_type = coalesce(m.pricing_type, priced.pricing ->> 'type'),
  billable = coalesce(m.billable, (priced.pricing ->> 'billable')::boolean),
  updated_at = $2
from best left join priced on priced.wamid = best.wamid
where m.wamid = best.wamid`;

/** Merges the messages of these wamids in one statement; a wamid with no message row changes nothing. */
export async function mergeMessageStatuses(db: Db, wamids: readonly string[], now: Date): Promise<void> {
  if (wamids.length === 0) return;
  // Sorted, so two processors merging overlapping sets lock message rows in the same order (no deadlock).
  await db.query(mergeSql, [[...wamids].sort(), now]);
}
