// SQL for messages sent one at a time from the REST API (the inbox): a messages row without a campaign,
// written before the send (so a crash mid-request leaves a trace) and given its outcome after. Status
// webhooks then merge into it by wamid like any other message (message-statuses.ts).

import type { Db } from './db.ts';

/** What the person was sent, kept for the conversation view (migration 0006). */
export type DirectMessageContent =
  | { type: 'text'; text: string }
  | { type: 'image' | 'video' | 'document' | 'audio'; link: string; caption: string | null }
  | { type: 'template'; text: string };

export type NewDirectMessage = {
  senderId: number;
  contactId: number;
  via: 'session' | 'template';
  templateName: string | null;
  category: string | null;
  language: string | null;
  content: DirectMessageContent;
};

/** Records the message as `sending` before the request leaves; returns its id (sent to Meta as callback data). */
export async function insertDirectMessage(db: Db, message: NewDirectMessage, now: Date): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    `insert into messages (sender_id, contact_id, status, dispatch_state, via, template_name, category, language, content, created_at, updated_at)
     values ($1, $2, 'sending', 'sending', $3, $4, $5, $6, $7, $8, $8) returning id`,
    [message.senderId, message.contactId, message.via, message.templateName, message.category, message.language, JSON.stringify(message.content), now],
  );
  if (!row) throw new Error('messages insert returned no row');
  return row.id;
}

/**
 * The send's outcome. `sent`: Meta accepted it (its wamid; status accepted or held). `failed`: Meta
 * refused it (its error). `unknown`: no answer came, so it may have gone; the supervisor's
 * reconcileUnknownMessages gives it its wamid if a status webhook carries its callback data.
 */
export type DirectMessageOutcome =
  | { state: 'sent'; wamid: string; status: 'accepted' | 'held'; sentAt: Date }
  | { state: 'failed'; errorCode: number | null; errorTitle: string; sentAt: Date }
  | { state: 'unknown'; detail: string; sentAt: Date };

export async function recordDirectMessageOutcome(db: Db, id: number, outcome: DirectMessageOutcome, now: Date): Promise<void> {
  const sent = outcome.state === 'sent';
  const failed = outcome.state === 'failed';
  await db.query(
    `update messages set dispatch_state = $2, wamid = $3, status = $4, sent_at = $5, error_code = $6, error_title = $7,
       reason = $8, detail = $9, attempts = attempts + 1, updated_at = $10
     where id = $1`,
    [
      id, outcome.state, sent ? outcome.wamid : null, sent ? outcome.status : failed ? 'failed' : 'sending', outcome.sentAt,
      failed ? outcome.errorCode : null, failed ? outcome.errorTitle : null,
      failed ? (outcome.errorCode === null ? 'send_failed' : `error_${outcome.errorCode}`) : null,
      outcome.state === 'unknown' ? outcome.detail : null, now,
    ],
  );
}
