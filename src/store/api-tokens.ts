// Bearer tokens of the REST API, kept as SHA-256 digests (hex): the database never holds one in clear.

import type { Db } from './db.ts';

export async function listApiTokenDigests(db: Db): Promise<string[]> {
  const rows = await db.query<{ token_sha256: string }>('select token_sha256 from api_tokens where revoked_at is null');
  return rows.map((row) => row.token_sha256);
}

export async function countApiTokens(db: Db): Promise<number> {
  const [row] = await db.query<{ count: number }>('select count(*)::int8 as count from api_tokens where revoked_at is null');
  return row?.count ?? 0;
}

export async function insertApiToken(db: Db, token: { label: string; sha256: string }, now: Date): Promise<void> {
  await db.query('insert into api_tokens (label, token_sha256, created_at) values ($1, $2, $3) on conflict (token_sha256) do nothing', [token.label, token.sha256, now]);
}
