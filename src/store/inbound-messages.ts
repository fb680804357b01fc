// SQL for inbound messages and the customer service windows they open.

import type { InboundMessageEvent } from '../domain/whatsapp-events.ts';
import type { Db } from './db.ts';

/** Records the message once (Meta redelivers); false for a duplicate. */
export async function insertInboundMessage(db: Db, event: InboundMessageEvent, contactId: number, now: Date): Promise<boolean> {
  const rows = await db.query(
    `insert into inbound_messages (wamid, phone_number_id, contact_id, type, text, payload, referral, context_wamid, sent_at, recorded_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) on conflict (wamid) do nothing returning id`,
    [event.wamid, event.phoneNumberId, contactId, event.type, event.text, event.payload, event.referral ? JSON.stringify(event.referral) : null, event.contextWamid, event.at, now],
  );
  return rows.length > 0;
}

/*
 * touchServiceWindow: each inbound message opens or renews the 24 h window with that sender
 * (whatsapp-rules.md §7.1). greatest() keeps the latest instant when messages arrive out of order.
 */
export async function touchServiceWindow(db: Db, window: { phoneNumberId: string; contactId: number; inboundAt: Date; referralAt: Date | null; ctwaClid: string | null }): Promise<void> {
  await db.query(
    `insert into service_windows (phone_number_id, contact_id, last_inbound_at, last_referral_at, last_ctwa_clid) values ($1, $2, $3, $4, $5)
     on conflict (phone_number_id, contact_id) do update set
       last_inbound_at = greatest(service_windows.last_inbound_at, excluded.last_inbound_at),
       last_referral_at = case when excluded.last_referral_at is not null and (service_windows.last_referral_at is null or excluded.last_referral_at > service_windows.last_referral_at)
                               then excluded.last_referral_at else service_windows.last_referral_at end,
       last_ctwa_clid = case when excluded.last_referral_at is not null and (service_windows.last_referral_at is null or excluded.last_referral_at > service_windows.last_referral_at)
                             then excluded.last_ctwa_clid else service_windows.last_ctwa_clid end`,
    [window.phoneNumberId, window.contactId, window.inboundAt, window.referralAt, window.ctwaClid],
  );
}

export async function findServiceWindow(db: Db, phoneNumberId: string, contactId: number): Promise<{ lastInboundAt: Date; lastReferralAt: Date | null } | null> {
  const [row] = await db.query<{ last_inbound_at: Date; last_referral_at: Date | null }>('select last_inbound_at, last_referral_at from service_windows where phone_number_id = $1 and contact_id = $2', [phoneNumberId, contactId]);
  return row ? { lastInboundAt: row.last_inbound_at, lastReferralAt: row.last_referral_at } : null;
}
