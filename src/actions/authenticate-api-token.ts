// Who presents this bearer token? The presented token is hashed and compared with every stored digest
// in constant time (timingSafeEqual over equal-length digests), so the answer time says nothing about
// how much of a guess was right; the tokens themselves are never stored. A revoked or expired token is
// refused with its own code, so its owner knows to ask for a new one rather than check for typos.

import { timingSafeEqual } from 'node:crypto';
import { apiTokenState, LAST_USED_RESOLUTION_MS, lastUseIsStale } from '../domain/api-token-lifecycle.ts';
import type { ErrorCode } from '../errors.ts';
import type { Clock } from '../lib/clock.ts';
import { listApiTokenDigests, recordApiTokenUse } from '../store/api-tokens.ts';
import type { Db } from '../store/db.ts';
import { digestApiToken } from './issue-api-token.ts';

export type ApiTokenCheck =
  | { ok: true; token: { id: number; label: string } }
  | { ok: false; code: Extract<ErrorCode, 'UNAUTHORIZED' | 'API_TOKEN_REVOKED' | 'API_TOKEN_EXPIRED'>; message: string };

export async function authenticateApiToken(deps: { db: Db; clock: Clock }, presented: string): Promise<ApiTokenCheck> {
  const digest = Buffer.from(digestApiToken(presented), 'hex');
  const now = deps.clock.now();
  let match: Awaited<ReturnType<typeof listApiTokenDigests>>[number] | null = null;
  // No early exit: every stored digest is compared, whichever matches.
  for (const token of await listApiTokenDigests(deps.db)) {
    const candidate = Buffer.from(token.sha256, 'hex');
    if (candidate.length === digest.length && timingSafeEqual(candidate, digest)) match = token;
  }
  if (!match) return { ok: false, code: 'UNAUTHORIZED', message: 'the API token is not valid' };
  const state = apiTokenState(match, now);
  if (state === 'revoked') return { ok: false, code: 'API_TOKEN_REVOKED', message: `the API token "${match.label}" (id ${match.id}) was revoked on ${match.revokedAt!.toISOString()}; ask for a new one (greenlight tokens create)` };
  if (state === 'expired') return { ok: false, code: 'API_TOKEN_EXPIRED', message: `the API token "${match.label}" (id ${match.id}) expired on ${match.expiresAt!.toISOString()}; ask for a new one (greenlight tokens create)` };
  if (lastUseIsStale(match.lastUsedAt, now)) await recordApiTokenUse(deps.db, match.id, now, LAST_USED_RESOLUTION_MS);
  return { ok: true, token: { id: match.id, label: match.label } };
}
