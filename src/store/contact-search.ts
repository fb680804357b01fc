// SQL reads for the contacts list of the REST API: a search by name or number, a tag, the current
// marketing consent, keyset pages in id order, and the total the same filters match. Erased contacts
// are not listed (GET /api/contacts/:id still answers for one, with its blank row and the ledger).

import type { ConsentState } from '../domain/consent.ts';
import type { Db } from './db.ts';

export type ContactFilter = {
  /** Part of the name (any case) or of the number (digits only are compared). */
  q: string | null;
  tag: string | null;
  /** The contact's current marketing consent. */
  marketing: ConsentState | null;
};

export type ContactSummary = {
  id: number;
  phone: string | null;
  name: string | null;
  language: string | null;
  country: string | null;
  timeZone: string | null;
  tags: string[];
  marketing: ConsentState;
  utility: ConsentState;
  createdAt: Date;
};

// Current consent per category by the ledger's rule (domain/consent.ts): the latest occurred_at wins,
// an opt-out wins a tie. Each lateral lookup is one probe of consent_events_contact_idx.
const consentJoins = `
left join lateral (
  select case kind when 'opt_in' then 'opted_in' else 'opted_out' end as state from consent_events e
  where e.contact_id = c.id and e.category = 'marketing' order by e.occurred_at desc, (e.kind = 'opt_out') desc limit 1) m on true
left join lateral (
  select case kind when 'opt_in' then 'opted_in' else 'opted_out' end as state from consent_events e
  where e.contact_id = c.id and e.category = 'utility' order by e.occurred_at desc, (e.kind = 'opt_out') desc limit 1) u on true`;

// $1 name pattern, $2 number pattern (null: the search has no digits), $3 tag, $4 marketing state.
// Erased contacts are left out: their blank rows stay only as the consent ledger's reference.
const filterWhere = `
c.erased_at is null
and ($1::text is null or c.name ilike $1 or ($2::text is not null and c.phone like $2))
and ($3::text is null or c.tags @> array[$3::text])
and ($4::text is null or coalesce(m.state, 'unknown') = $4)`;

function filterParams(filter: ContactFilter): unknown[] {
  const q = filter.q?.trim() || null;
  const digits = q?.replace(/\D/g, '') ?? '';
  // LIKE wildcards typed by the person are searched for literally.
  const escaped = q?.replace(/[\\%_]/g, (character) => `\\${character}`) ?? null;
  return [escaped === null ? null : `%${escaped}%`, digits === '' ? null : `%${digits}%`, filter.tag, filter.marketing];
}

export async function listContactsMatching(db: Db, filter: ContactFilter, page: { afterId: number | null; limit: number }): Promise<ContactSummary[]> {
  const rows = await db.query<{
    id: number; phone: string | null; name: string | null; language: string | null; country: string | null; time_zone: string | null;
    tags: string[]; marketing: ConsentState; utility: ConsentState; created_at: Date;
  }>(
    `select c.id, c.phone, c.name, c.language, c.country, c.time_zone, c.tags, c.created_at,
       coalesce(m.state, 'unknown') as marketing, coalesce(u.state, 'unknown') as utility
     from contacts c ${consentJoins}
     where ${filterWhere} and c.id > coalesce($5::bigint, 0)
     order by c.id limit $6`,
    [...filterParams(filter), page.afterId, page.limit],
  );
  return rows.map((row) => ({
    id: row.id, phone: row.phone, name: row.name, language: row.language, country: row.country, timeZone: row.time_zone,
    tags: row.tags, marketing: row.marketing, utility: row.utility, createdAt: row.created_at,
  }));
}

export async function countContactsMatching(db: Db, filter: ContactFilter): Promise<number> {
  const [row] = await db.query<{ count: number }>(`select count(*)::int as count from contacts c ${consentJoins} where ${filterWhere}`, filterParams(filter));
  return row?.count ?? 0;
}
