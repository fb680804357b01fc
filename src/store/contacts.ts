// SQL for contacts: batched upsert (the import's hot path), lookups and keyset-paged listing.

import type { Contact, ContactInput } from '../domain/contacts.ts';
import type { ConsentState } from '../domain/consent.ts';
import type { Db } from './db.ts';

export type UpsertOutcome = { createdPhones: string[]; updatedPhones: string[] };

/*
 * upsertContacts: inserts new contacts and merges changed ones, in one statement per batch.
 * $1: jsonb array of ContactInput rows (unique phones), $2: now.
 * Merge rules: an empty field keeps the stored value; attributes are merged key by key; tags are
 * added, never removed; a time zone the user set is never replaced by one guessed from the number.
 * The WHERE clause skips rows the merge would not change, so re-importing a file writes nothing and
 * RETURNING lists exactly the created (xmax = 0) and updated rows.
 */
const upsertContactsSql = `
with input as (
  select * from jsonb_to_recordset($1::jsonb) as r(
    phone text, name text, language text, country text, time_zone text,
    time_zone_overridden boolean, line_type text, attributes jsonb, tags text[])
)
insert into contacts as c (phone, name, language, country, time_zone, time_zone_overridden, line_type, attributes, tags, created_at, updated_at)
select phone, name, language, country, time_zone, time_zone_overridden, line_type, attributes, tags, $2, $2 from input
on conflict (phone) do update set
  name = coalesce(excluded.name, c.name),
  language = coalesce(excluded.language, c.language),
  country = coalesce(excluded.country, c.country),
  time_zone = case when excluded.time_zone_overridden then excluded.time_zone
                   when c.time_zone_overridden then c.time_zone
                   else coalesce(excluded.time_zone, c.time_zone) end,
  time_zone_overridden = c.time_zone_overridden or excluded.time_zone_overridden,
  line_type = excluded.line_type,
  attributes = c.attributes || excluded.attributes,
  tags = (select coalesce(array_agg(distinct tag order by tag), '{}') from unnest(c.tags || excluded.tags) as tag),
  updated_at = excluded.updated_at
where (excluded.name is not null and excluded.name is distinct from c.name)
   or (excluded.language is not null and excluded.language is distinct from c.language)
   or (excluded.country is not null and excluded.country is distinct from c.country)
   or (excluded.time_zone_overridden and excluded.time_zone is distinct from c.time_zone)
   or (not excluded.time_zone_overridden and not c.time_zone_overridden
       and excluded.time_zone is not null and excluded.time_zone is distinct from c.time_zone)
   or excluded.line_type is distinct from c.line_type
   or not (excluded.attributes <@ c.attributes)
   or not (excluded.tags <@ c.tags)
returning c.phone, (c.xmax = 0) as created`;

export async function upsertContacts(db: Db, inputs: readonly ContactInput[], now: Date): Promise<UpsertOutcome> {
  if (inputs.length === 0) return { createdPhones: [], updatedPhones: [] };
  const rows = inputs.map((input) => ({
    phone: input.phone,
    name: input.name,
    language: input.language,
    country: input.country,
    time_zone: input.timeZone,
    time_zone_overridden: input.timeZoneOverridden,
    line_type: input.lineType,
    attributes: input.attributes,
    tags: input.tags,
  }));
  const result = await db.query<{ phone: string; created: boolean }>(upsertContactsSql, [JSON.stringify(rows), now]);
  return {
    createdPhones: result.filter((row) => row.created).map((row) => row.phone),
    updatedPhones: result.filter((row) => !row.created).map((row) => row.phone),
  };
}

type ContactRow = {
  id: number;
  phone: string | null;
  wa_id: string | null;
  business_user_id: string | null;
  name: string | null;
  language: string | null;
  country: string | null;
  time_zone: string | null;
  time_zone_overridden: boolean;
  line_type: string | null;
  attributes: Record<string, unknown>;
  tags: string[];
  created_at: Date;
  updated_at: Date;
};

function toContact(row: ContactRow): Contact {
  return {
    id: row.id,
    phone: row.phone,
    waId: row.wa_id,
    businessUserId: row.business_user_id,
    name: row.name,
    language: row.language,
    country: row.country,
    timeZone: row.time_zone,
    timeZoneOverridden: row.time_zone_overridden,
    lineType: row.line_type,
    attributes: row.attributes,
    tags: row.tags,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function findContactByPhone(db: Db, phone: string): Promise<Contact | null> {
  const [row] = await db.query<ContactRow>('select * from contacts where phone = $1', [phone]);
  return row ? toContact(row) : null;
}

export type ContactListItem = Contact & { marketing: ConsentState; utility: ConsentState };

export type ContactListQuery = { tag?: string | null; afterId?: number | null; limit: number };

/*
 * listContacts: one page of contacts in id order (keyset paging: pass the last id seen), each with its
 * current consent per category computed from the ledger by the same rule as domain/consent.ts
 * (latest occurred_at wins; at the same instant an opt-out wins). The ledger index makes each
 * lateral lookup one index probe. Erased contacts are left out: their rows are blank, kept only
 * because the consent ledger refers to them.
 */
const listContactsSql = `
select c.*, coalesce(m.state, 'unknown') as marketing, coalesce(u.state, 'unknown') as utility
from contacts c
left join lateral (
  select case kind when 'opt_in' then 'opted_in' else 'opted_out' end as state from consent_events e
  where e.contact_id = c.id and e.category = 'marketing'
  order by e.occurred_at desc, (e.kind = 'opt_out') desc limit 1) m on true
left join lateral (
  select case kind when 'opt_in' then 'opted_in' else 'opted_out' end as state from consent_events e
  where e.contact_id = c.id and e.category = 'utility'
  order by e.occurred_at desc, (e.kind = 'opt_out') desc limit 1) u on true
where c.erased_at is null
  and ($1::text is null or c.tags @> array[$1::text])
  and c.id > coalesce($2::bigint, 0)
order by c.id
limit $3`;

export async function listContacts(db: Db, query: ContactListQuery): Promise<ContactListItem[]> {
  const rows = await db.query<ContactRow & { marketing: ConsentState; utility: ConsentState }>(listContactsSql, [query.tag ?? null, query.afterId ?? null, query.limit]);
  return rows.map((row) => ({ ...toContact(row), marketing: row.marketing, utility: row.utility }));
}

export async function countContacts(db: Db): Promise<number> {
  const [row] = await db.query<{ count: number }>('select count(*) as count from contacts');
  return row?.count ?? 0;
}

/** Many contacts by id in one statement (the dispatcher loads each claimed batch's contacts at once). */
export async function findContactsByIds(db: Db, ids: readonly number[]): Promise<Map<number, Contact>> {
  if (ids.length === 0) return new Map();
  const rows = await db.query<ContactRow>('select * from contacts where id = any($1::bigint[])', [ids]);
  return new Map(rows.map((row) => [row.id, toContact(row)]));
}
