// SQL for message status webhooks: each (wamid, status) recorded once, and the message's current
// status merged monotonically from them, whatever order and however often they arrived.

import type { MessageStatusEvent } from '../domain/whatsapp-events.ts';
import type { Db } from './db.ts';

/** Records the status; false when this (wamid, status) was already known (a duplicate delivery). */
export async function insertMessageStatusEvent(db: Db, event: MessageStatusEvent, now: Date): Promise<boolean> {
  const rows = await db.query(
    `insert into message_status_events (wamid, phone_number_id, status, occurred_at, recipient_wa_id, recipient_user_id, errors, pricing, biz_opaque_callback_data, recorded_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     on conflict (wamid, status) do nothing returning id`,
    [event.wamid, event.phoneNumberId, event.status, event.at, event.recipient.waId, event.recipient.businessUserId, JSON.stringify(event.errors), event.pricing ? JSON.stringify(event.pricing) : null, event.bizOpaqueCallbackData, now],
  );
  return rows.length > 0;
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
  select status, occurred_at, errors from message_status_events
  where wamid = $1 order by message_status_rank(status) desc, occurred_at desc limit 1
), priced as (
  select pricing from message_status_events where wamid = $1 and pricing is not null order by occurred_at limit 1
)
update messages m set
  status = case when message_status_rank(best.status) > message_status_rank(m.status) then best.status else m.status end,
  status_at = case when message_status_rank(best.status) > message_status_rank(m.status) then best.occurred_at else m.status_at end,
  error_code = coalesce(m.error_code, (best.errors -> 0 ->> 'code')::integer),
  error_title = coalesce(m.error_title, best.errors -> 0 ->> 'title'),
  error_details = coalesce(m.error_details, best.errors -> 0 ->> 'details'),
  pricing_category = coalesce(m.pricing_category, (select pricing ->> 'category' from priced)),
  pricing_type = coalesce(m.pricing_type, (select pricing ->> 'type' from priced)),
  billable = coalesce(m.billable, (select (pricing ->> 'billable')::boolean from priced)),
  updated_at = $2
from best
where m.wamid = $1
returning m.status`;

export async function mergeMessageStatus(db: Db, wamid: string, now: Date): Promise<string | null> {
  const [row] = await db.query<{ status: string }>(mergeSql, [wamid, now]);
  return row?.status ?? null;
}
