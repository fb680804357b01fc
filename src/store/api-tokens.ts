// Bearer tokens of the REST API, kept as SHA-256 digests (hex): the database never holds one in clear.

import type { Db } from './db.ts';

/** A token as the operator sees it (`greenlight tokens list`): never the token, never its digest. */
export type ApiTokenRecord = { id: number; label: string; createdAt: Date; expiresAt: Date | null; revokedAt: Date | null; lastUsedAt: Date | null };

type ApiTokenRow = { id: number; label: string; created_at: Date; expires_at: Date | null; revoked_at: Date | null; last_used_at: Date | null };

// The columns of an ApiTokenRow, for every statement that returns records.
const RECORD_COLUMNS = 'id, label, created_at, expires_at, revoked_at, last_used_at';

const toRecord = (row: ApiTokenRow): ApiTokenRecord => ({ id: row.id, label: row.label, createdAt: row.created_at, expiresAt: row.expires_at, revokedAt: row.revoked_at, lastUsedAt: row.last_used_at });

/**
 * Every token with its digest, revoked and expired ones included, so a request presenting one can be
 * told why it is refused (and attributed to the token that made it, for the audit log).
 */
export async function listApiTokenDigests(db: Db): Promise<Array<ApiTokenRecord & { sha256: string }>> {
  const rows = await db.query<ApiTokenRow & { sha256: string }>(`select ${RECORD_COLUMNS}, token_sha256 as sha256 from api_tokens order by id`);
  return rows.map((row) => ({ ...toRecord(row), sha256: row.sha256 }));
}

/** Every token, oldest first, without its digest. */
export async function listApiTokens(db: Db): Promise<ApiTokenRecord[]> {
  const rows = await db.query<ApiTokenRow>(`select ${RECORD_COLUMNS} from api_tokens order by id`);
  return rows.map(toRecord);
}

export async function findApiToken(db: Db, id: number): Promise<ApiTokenRecord | null> {
  const [row] = await db.query<ApiTokenRow>(`select ${RECORD_COLUMNS} from api_tokens where id = $1`, [id]);
  return row ? toRecord(row) : null;
}

/** Tokens that would be accepted at `now`: neither revoked nor expired. */
export async function countUsableApiTokens(db: Db, now: Date): Promise<number> {
  const [row] = await db.query<{ count: number }>('select count(*)::int8 as count from api_tokens where revoked_at is null and (expires_at is null or expires_at > $1)', [now]);
  return row?.count ?? 0;
}

/** The new token's id, or null when that digest is already on record (GREENLIGHT_API_TOKEN at every start). */
export async function insertApiToken(db: Db, token: { label: string; sha256: string; expiresAt?: Date | null }, now: Date): Promise<number | null> {
  const [row] = await db.query<{ id: number }>(
    'insert into api_tokens (label, token_sha256, created_at, expires_at) values ($1, $2, $3, $4) on conflict (token_sha256) do nothing returning id',
    [token.label, token.sha256, now, token.expiresAt ?? null],
  );
  return row?.id ?? null;
}

/** Revokes a token that is not revoked yet; null when it was (or does not exist), so a second revoke changes nothing. */
export async function revokeApiTokenById(db: Db, id: number, now: Date): Promise<ApiTokenRecord | null> {
  const [row] = await db.query<ApiTokenRow>(`update api_tokens set revoked_at = $2 where id = $1 and revoked_at is null returning ${RECORD_COLUMNS}`, [id, now]);
  return row ? toRecord(row) : null;
}

/** Notes a use, at most once per `resolutionMs` per token: the condition makes concurrent requests write once. */
export async function recordApiTokenUse(db: Db, id: number, now: Date, resolutionMs: number): Promise<void> {
  await db.query('update api_tokens set last_used_at = $2 where id = $1 and (last_used_at is null or last_used_at <= $3)', [id, now, new Date(now.getTime() - resolutionMs)]);
}
