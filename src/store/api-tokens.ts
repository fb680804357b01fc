// Bearer tokens of the REST API, kept as SHA-256 digests (hex): the database never holds one in clear.

import type { Db } from './db.ts';

/** The active tokens with their id and label, so a request can be attributed to the token that made it (audit log). */
export async function listActiveApiTokens(db: Db): Promise<Array<{ id: number; label: string; sha256: string }>> {
  return db.query<{ id: number; label: string; sha256: string }>('select id, label, token_sha256 as sha256 from api_tokens where revoked_at is null');
}

export async function countApiTokens(db: Db): Promise<number> {
  const [row] = await db.query<{ count: number }>('select count(*)::int8 as count from api_tokens where revoked_at is null');
  return row?.count ?? 0;
}

export async function insertApiToken(db: Db, token: { label: string; sha256: string }, now: Date): Promise<void> {
  await db.query('insert into api_tokens (label, token_sha256, created_at) values ($1, $2, $3) on conflict (token_sha256) do nothing', [token.label, token.sha256, now]);
}
