// SQL for senders (the business phone numbers Greenlight sends from) and their health history.

import type { Db } from './db.ts';

export type Sender = {
  id: number;
  phoneNumberId: string;
  wabaId: string;
  displayPhoneNumber: string | null;
  verifiedName: string | null;
  throughputShare: number;
  useMarketingMessagesApi: boolean;
  qualityRating: string | null;
  throughputLevel: string | null;
  messagingLimitTier: string | null;
  status: string | null;
  nameStatus: string | null;
  canSendMessage: string | null;
  healthErrors: unknown[];
  syncedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
};

type SenderRow = {
  id: number; phone_number_id: string; waba_id: string; display_phone_number: string | null; verified_name: string | null; throughput_share: number;
  use_marketing_messages_api: boolean; quality_rating: string | null; throughput_level: string | null; messaging_limit_tier: string | null; status: string | null;
  name_status: string | null; can_send_message: string | null; health_errors: unknown[]; synced_at: Date | null; created_at: Date; updated_at: Date;
};

function toSender(row: SenderRow): Sender {
  return {
    id: row.id, phoneNumberId: row.phone_number_id, wabaId: row.waba_id, displayPhoneNumber: row.display_phone_number, verifiedName: row.verified_name,
    throughputShare: row.throughput_share, useMarketingMessagesApi: row.use_marketing_messages_api, qualityRating: row.quality_rating,
    throughputLevel: row.throughput_level, messagingLimitTier: row.messaging_limit_tier, status: row.status, nameStatus: row.name_status,
    canSendMessage: row.can_send_message, healthErrors: row.health_errors, syncedAt: row.synced_at, createdAt: row.created_at, updatedAt: row.updated_at,
  };
}

export type NewSender = { phoneNumberId: string; wabaId: string; displayPhoneNumber: string | null; throughputShare: number; useMarketingMessagesApi: boolean };

/** Adds the sender, or returns the existing one with the same phone number id unchanged (created: false). */
export async function insertSender(db: Db, sender: NewSender, now: Date): Promise<{ sender: Sender; created: boolean }> {
  const inserted = await db.query<SenderRow>(
    `insert into senders (phone_number_id, waba_id, display_phone_number, throughput_share, use_marketing_messages_api, created_at, updated_at)
     values ($1, $2, $3, $4, $5, $6, $6) on conflict (phone_number_id) do nothing returning *`,
    [sender.phoneNumberId, sender.wabaId, sender.displayPhoneNumber, sender.throughputShare, sender.useMarketingMessagesApi, now],
  );
  if (inserted[0]) return { sender: toSender(inserted[0]), created: true };
  const existing = await findSenderByPhoneNumberId(db, sender.phoneNumberId);
  if (!existing) throw new Error(`sender ${sender.phoneNumberId} conflicted but cannot be found`);
  return { sender: existing, created: false };
}

export async function findSenderByPhoneNumberId(db: Db, phoneNumberId: string): Promise<Sender | null> {
  const [row] = await db.query<SenderRow>('select * from senders where phone_number_id = $1', [phoneNumberId]);
  return row ? toSender(row) : null;
}

/** Meta's quality webhooks name the number by its display digits; compare digits only. */
export async function findSenderByDisplayNumber(db: Db, wabaId: string, displayPhoneNumber: string): Promise<Sender | null> {
  const [row] = await db.query<SenderRow>(
    "select * from senders where waba_id = $1 and regexp_replace(coalesce(display_phone_number, ''), '\\D', '', 'g') = regexp_replace($2, '\\D', '', 'g') limit 1",
    [wabaId, displayPhoneNumber],
  );
  return row ? toSender(row) : null;
}

export async function listSenders(db: Db): Promise<Sender[]> {
  return (await db.query<SenderRow>('select * from senders order by id')).map(toSender);
}

export type SenderHealth = {
  displayPhoneNumber?: string | null; verifiedName?: string | null; qualityRating?: string | null; throughputLevel?: string | null;
  messagingLimitTier?: string | null; status?: string | null; nameStatus?: string | null; canSendMessage?: string | null; healthErrors?: unknown[];
};

/*
 * recordSenderHealth: updates the fields given (undefined keeps the stored value) and appends the
 * observation to sender_health_history, in the caller's transaction.
 */
export async function recordSenderHealth(db: Db, senderId: number, health: SenderHealth, observation: { source: 'sync' | 'webhook'; at: Date; detail?: unknown }, now: Date): Promise<Sender> {
  const keep = (value: unknown) => (value === undefined ? null : value);
  const [row] = await db.query<SenderRow>(
    `update senders set
       display_phone_number = case when $2 then $3 else display_phone_number end,
       verified_name = case when $4 then $5 else verified_name end,
       quality_rating = case when $6 then $7 else quality_rating end,
       throughput_level = case when $8 then $9 else throughput_level end,
       messaging_limit_tier = case when $10 then $11 else messaging_limit_tier end,
       status = case when $12 then $13 else status end,
       name_status = case when $14 then $15 else name_status end,
       can_send_message = case when $16 then $17 else can_send_message end,
       health_errors = case when $18 then $19::jsonb else health_errors end,
       synced_at = case when $20 = 'sync' then $21 else synced_at end,
       updated_at = $22
     where id = $1 returning *`,
    [
      senderId,
      health.displayPhoneNumber !== undefined, keep(health.displayPhoneNumber),
      health.verifiedName !== undefined, keep(health.verifiedName),
      health.qualityRating !== undefined, keep(health.qualityRating),
      health.throughputLevel !== undefined, keep(health.throughputLevel),
      health.messagingLimitTier !== undefined, keep(health.messagingLimitTier),
      health.status !== undefined, keep(health.status),
      health.nameStatus !== undefined, keep(health.nameStatus),
      health.canSendMessage !== undefined, keep(health.canSendMessage),
      health.healthErrors !== undefined, JSON.stringify(health.healthErrors ?? []),
      observation.source, observation.at, now,
    ],
  );
  if (!row) throw new Error(`sender ${senderId} does not exist`);
  const sender = toSender(row);
  await db.query(
    `insert into sender_health_history (sender_id, observed_at, source, quality_rating, throughput_level, messaging_limit_tier, status, can_send_message, detail)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [senderId, observation.at, observation.source, sender.qualityRating, sender.throughputLevel, sender.messagingLimitTier, sender.status, sender.canSendMessage, JSON.stringify(observation.detail ?? {})],
  );
  return sender;
}

export type SenderHealthObservation = { observedAt: Date; source: string; qualityRating: string | null; throughputLevel: string | null; messagingLimitTier: string | null; status: string | null; canSendMessage: string | null };

export async function listSenderHealthHistory(db: Db, senderId: number, limit: number): Promise<SenderHealthObservation[]> {
  const rows = await db.query<{ observed_at: Date; source: string; quality_rating: string | null; throughput_level: string | null; messaging_limit_tier: string | null; status: string | null; can_send_message: string | null }>(
    'select * from sender_health_history where sender_id = $1 order by observed_at desc, id desc limit $2',
    [senderId, limit],
  );
  return rows.map((row) => ({ observedAt: row.observed_at, source: row.source, qualityRating: row.quality_rating, throughputLevel: row.throughput_level, messagingLimitTier: row.messaging_limit_tier, status: row.status, canSendMessage: row.can_send_message }));
}

export async function findSenderById(db: Db, id: number): Promise<Sender | null> {
  const [row] = await db.query<SenderRow>('select * from senders where id = $1', [id]);
  return row ? toSender(row) : null;
}
