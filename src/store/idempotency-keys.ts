// Idempotency keys of the REST API: the first request with a key claims it, stores its answer when
// done, and every retry with the same key reads that answer instead of doing the work again.

import type { Db } from './db.ts';

export type IdempotencyRecord = { requestSha256: string; response: { status: number; body: unknown } | null };

/** Claims the key for this request; returns the existing record instead when the key was used before. */
export async function claimIdempotencyKey(db: Db, claim: { key: string; operation: string; requestSha256: string }, now: Date): Promise<IdempotencyRecord | null> {
  const inserted = await db.query('insert into idempotency_keys (key, operation, request_sha256, created_at) values ($1, $2, $3, $4) on conflict do nothing returning key', [claim.key, claim.operation, claim.requestSha256, now]);
  if (inserted.length > 0) return null;
  const [row] = await db.query<{ request_sha256: string; response_status: number | null; response_body: unknown }>('select request_sha256, response_status, response_body from idempotency_keys where key = $1 and operation = $2', [claim.key, claim.operation]);
  if (!row) return null;
  return { requestSha256: row.request_sha256, response: row.response_status === null ? null : { status: row.response_status, body: row.response_body } };
}

export async function completeIdempotencyKey(db: Db, key: { key: string; operation: string }, response: { status: number; body: unknown }): Promise<void> {
  await db.query('update idempotency_keys set response_status = $3, response_body = $4 where key = $1 and operation = $2', [key.key, key.operation, response.status, JSON.stringify(response.body)]);
}

/** A request that failed gives its key back, so a retry can try again. */
export async function releaseIdempotencyKey(db: Db, key: { key: string; operation: string }): Promise<void> {
  await db.query('delete from idempotency_keys where key = $1 and operation = $2 and response_status is null', [key.key, key.operation]);
}
