// Runs an API operation at most once per idempotency key: a retry with the same key and the same
// request gets the first answer back; the same key with another request is refused; a key whose
// first request is still running is refused until it finishes. A failed request frees its key.

import { createHash } from 'node:crypto';
import { AppError } from '../errors.ts';
import { canonicalJson } from '../lib/canonical-json.ts';
import type { Db } from '../store/db.ts';
import { claimIdempotencyKey, completeIdempotencyKey, releaseIdempotencyKey } from '../store/idempotency-keys.ts';
import type { Clock } from '../lib/clock.ts';

export type IdempotentResponse = { status: number; body: unknown };

export async function runIdempotent(
  deps: { db: Db; clock: Clock },
  request: { key: string; operation: string; payload: unknown },
  work: () => Promise<IdempotentResponse>,
): Promise<IdempotentResponse & { replayed: boolean }> {
  const requestSha256 = createHash('sha256').update(canonicalJson(request.payload ?? null)).digest('hex');
  const claim = { key: request.key, operation: request.operation };
  const existing = await claimIdempotencyKey(deps.db, { ...claim, requestSha256 }, deps.clock.now());
  if (existing) {
    if (existing.requestSha256 !== requestSha256) throw new AppError('IDEMPOTENCY_KEY_REUSED', `Idempotency-Key "${request.key}" was used for a different request to ${request.operation}; use a new key`);
    if (!existing.response) throw new AppError('INVALID_STATE', `a request with Idempotency-Key "${request.key}" is still running; retry when it has finished`);
    return { ...existing.response, replayed: true };
  }
  try {
    const response = await work();
    await completeIdempotencyKey(deps.db, claim, response);
    return { ...response, replayed: false };
  } catch (error) {
    await releaseIdempotencyKey(deps.db, claim);
    throw error;
  }
}
