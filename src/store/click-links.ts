// SQL for tracked links and their clicks: one link (token → message, target URL) per message and URL,
// inserted a whole dispatcher batch at a time, and one clicks row per counted click. Tokens are made
// and checked in domain/tracked-links.ts; this file only stores them.

import type { Db } from './db.ts';

export type NewClickLink = { messageId: number; url: string; token: string };
export type StoredClickLink = { messageId: number; url: string; token: string; created: boolean };

/*
 * insertClickLinks: the batch's links in one statement ($1: a JSON array of { message_id, url, token },
 * $2: now). A message that already has a link for the same URL keeps it (`created` false, its old
 * token): a deferred message sent again must not get a second token. The oldest link wins if there
 * ever were two. A new token that collides with an existing one (1 in 10^21) is not inserted and is
 * missing from the answer, so the caller retries that row with a fresh token.
 * Safe on both engines: jsonb_to_recordset, data-modifying CTE; click_links_message_idx finds old links.
 */
const insertSql = `
with input as (
  select * from jsonb_to_recordset($1::jsonb) as i(message_id bigint, url text, token text)
),
existing as (
  select distinct on (l.message_id, l.url) l.message_id, l.url, l.token
  from click_links l join input i on l.message_id = i.message_id and l.url = i.url
  order by l.message_id, l.url, l.created_at, l.token
),
inserted as (
  insert into click_links (token, message_id, url, created_at)
  select i.token, i.message_id, i.url, $2 from input i
  where not exists (select 1 from existing e where e.message_id = i.message_id and e.url = i.url)
  on conflict (token) do nothing
  returning message_id, url, token
)
select message_id, url, token, false as created from existing
union all
select message_id, url, token, true as created from inserted`;

export async function insertClickLinks(db: Db, links: readonly NewClickLink[], now: Date): Promise<StoredClickLink[]> {
  if (links.length === 0) return [];
  const rows = await db.query<{ message_id: number; url: string; token: string; created: boolean }>(
    insertSql,
    [JSON.stringify(links.map((link) => ({ message_id: link.messageId, url: link.url, token: link.token }))), now],
  );
  return rows.map((row) => ({ messageId: row.message_id, url: row.url, token: row.token, created: row.created }));
}

/** The target of a token, or null when no link has it. A read: nothing is recorded. */
export async function findClickLinkUrl(db: Db, token: string): Promise<string | null> {
  const [row] = await db.query<{ url: string }>('select url from click_links where token = $1', [token]);
  return row?.url ?? null;
}

/*
 * insertClickForToken: records one click on $1 at $2 with user agent $3 and returns the link's
 * target, in one round trip. An unknown token returns null and records nothing (the insert selects
 * from the link, so it has no row to insert). The CTE's insert runs even though the outer select does
 * not read it (PostgreSQL runs every data-modifying CTE exactly once).
 */
const clickSql = `
with link as (select token, url from click_links where token = $1),
recorded as (insert into clicks (token, clicked_at, user_agent) select token, $2, $3 from link returning id)
select url from link`;

export async function insertClickForToken(db: Db, click: { token: string; clickedAt: Date; userAgent: string | null }): Promise<string | null> {
  const [row] = await db.query<{ url: string }>(clickSql, [click.token, click.clickedAt, click.userAgent]);
  return row?.url ?? null;
}
