// SQL that finds the contact behind an id Meta uses (wa_id, business-scoped user id, phone), creating
// it when Meta tells us about someone new: inbound messages and statuses must always land somewhere.

import type { Db } from './db.ts';

export type ContactIdentity = { phone: string | null; waId: string | null; businessUserId: string | null; country: string | null; timeZone: string | null; name: string | null };

/*
 * findOrCreateContactByIdentity: the contact matching any of the ids (wa_id first, then BSUID, then
 * phone), with the ids it lacked filled in; otherwise a new contact. Runs inside the caller's
 * transaction. A concurrent insert of the same person (two processors) makes our insert a no-op,
 * and the second lookup finds their row.
 */
export async function findOrCreateContactByIdentity(db: Db, identity: ContactIdentity, now: Date): Promise<{ id: number; created: boolean }> {
  const existing = await findId(db, identity);
  if (existing !== null) {
    await db.query(
      `update contacts set wa_id = coalesce(wa_id, $2), business_user_id = coalesce(business_user_id, $3), phone = coalesce(phone, $4),
         name = coalesce(name, $5), updated_at = $6
       where id = $1 and (wa_id is null and $2::text is not null or business_user_id is null and $3::text is not null
         or phone is null and $4::text is not null or name is null and $5::text is not null)`,
      [existing, identity.waId, identity.businessUserId, identity.phone, identity.name, now],
    );
    return { id: existing, created: false };
  }
  const inserted = await db.query<{ id: number }>(
    `insert into contacts (phone, wa_id, business_user_id, name, country, time_zone, created_at, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $7) on conflict do nothing returning id`,
    [identity.phone, identity.waId, identity.businessUserId, identity.name, identity.country, identity.timeZone, now],
  );
  if (inserted[0]) return { id: inserted[0].id, created: true };
  const raced = await findId(db, identity);
  if (raced === null) throw new Error('a contact insert conflicted but no contact matches its ids');
  return { id: raced, created: false };
}

async function findId(db: Db, identity: ContactIdentity): Promise<number | null> {
  const rows = await db.query<{ id: number }>(
    `select id from contacts
     where ($1::text is not null and wa_id = $1) or ($2::text is not null and business_user_id = $2) or ($3::text is not null and phone = $3)
     order by (wa_id = $1) desc nulls last, (business_user_id = $2) desc nulls last
     limit 1`,
    [identity.waId, identity.businessUserId, identity.phone],
  );
  return rows[0]?.id ?? null;
}

/*
 * moveContactIdentity: a person changed number or business-scoped user id (a `system` webhook,
 * §6.5): the contact keeps its history and consent and takes the new ids, unless another contact
 * already holds them (then nothing changes: two records of one person are for a human to merge).
 */
export async function moveContactIdentity(db: Db, contactId: number, next: { phone: string | null; waId: string | null; businessUserId: string | null }, now: Date): Promise<boolean> {
  const rows = await db.query(
    `update contacts set phone = coalesce($2, phone), wa_id = coalesce($3, wa_id), business_user_id = coalesce($4, business_user_id), updated_at = $5
     where id = $1 and not exists (
       select 1 from contacts other where other.id <> $1
         and (($2::text is not null and other.phone = $2) or ($3::text is not null and other.wa_id = $3) or ($4::text is not null and other.business_user_id = $4)))
     returning id`,
    [contactId, next.phone, next.waId, next.businessUserId, now],
  );
  return rows.length > 0;
}
