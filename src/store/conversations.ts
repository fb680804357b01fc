// SQL reads for the inbox: who wrote in (newest first), one contact's messages both ways, and the
// service window a contact has open, so the dashboard can answer them. Nothing here writes.

import type { Db } from './db.ts';

export type ConversationSummary = { contactId: number; phone: string | null; name: string | null; lastInboundAt: Date; lastText: string | null; lastType: string | null };

/*
 * listConversations: the contacts who wrote in, most recent first, with their last inbound message.
 * service_windows holds one row per (sender, contact) that wrote, so it is far smaller than
 * inbound_messages; the last message is one probe of inbound_messages_contact_idx per contact listed.
 */
export async function listConversations(db: Db, limit: number): Promise<ConversationSummary[]> {
  const rows = await db.query<{ contact_id: number; phone: string | null; name: string | null; last_inbound_at: Date; text: string | null; type: string | null }>(
    `with latest as (
       select contact_id, max(last_inbound_at) as last_inbound_at from service_windows
       group by contact_id order by max(last_inbound_at) desc, contact_id desc limit $1)
     select l.contact_id, c.phone, c.name, l.last_inbound_at, last.text, last.type
     from latest l join contacts c on c.id = l.contact_id
     left join lateral (select i.text, i.type from inbound_messages i where i.contact_id = l.contact_id order by i.sent_at desc, i.id desc limit 1) last on true
     order by l.last_inbound_at desc, l.contact_id desc`,
    [limit],
  );
  return rows.map((row) => ({ contactId: row.contact_id, phone: row.phone, name: row.name, lastInboundAt: row.last_inbound_at, lastText: row.text, lastType: row.type }));
}

export type ConversationMessage = {
  id: number;
  direction: 'in' | 'out';
  at: Date;
  type: string;
  text: string | null;
  status: string | null;
  templateName: string | null;
};

/*
 * listConversationMessages: the contact's latest `limit` messages both ways, oldest first. Outbound
 * are the messages that left (sent_at set: campaign sends and inbox sends, failed ones included);
 * planned, skipped or deferred campaign rows never reached the person. Both halves read their
 * (contact_id, time) index. A campaign row keeps no text (only its template), hence the fallbacks.
 */
export async function listConversationMessages(db: Db, contactId: number, limit: number): Promise<ConversationMessage[]> {
  const rows = await db.query<{ id: number; direction: 'in' | 'out'; at: Date; type: string; text: string | null; status: string | null; template_name: string | null }>(
    `select * from (
       (select i.id, 'in' as direction, i.sent_at as at, i.type, i.text, null::text as status, null::text as template_name
        from inbound_messages i where i.contact_id = $1 order by i.sent_at desc limit $2)
       union all
       (select m.id, 'out', m.sent_at, coalesce(m.content ->> 'type', case when m.via = 'session' then 'text' else 'template' end),
          coalesce(m.content ->> 'text', m.content ->> 'caption'), m.status, m.template_name
        from messages m where m.contact_id = $1 and m.sent_at is not null order by m.sent_at desc limit $2)
     ) both_ways order by at desc, direction, id desc limit $2`,
    [contactId, limit],
  );
  return rows.reverse().map((row) => ({ id: row.id, direction: row.direction, at: row.at, type: row.type, text: row.text, status: row.status, templateName: row.template_name }));
}

/** The contact's most recent window with any sender (the one the inbox answers from), or null if they never wrote. */
export async function findLatestServiceWindow(db: Db, contactId: number): Promise<{ phoneNumberId: string; lastInboundAt: Date } | null> {
  const [row] = await db.query<{ phone_number_id: string; last_inbound_at: Date }>(
    'select phone_number_id, last_inbound_at from service_windows where contact_id = $1 order by last_inbound_at desc limit 1',
    [contactId],
  );
  return row ? { phoneNumberId: row.phone_number_id, lastInboundAt: row.last_inbound_at } : null;
}
