// The REST API's bearer tokens. GREENLIGHT_API_TOKEN, when set, is one. Otherwise a start that finds
// no usable token (the first one, or after every token expired or was revoked) generates one, stores
// only its digest and hands it back once, to be printed; later starts find it on record and print
// nothing (the digest cannot be turned back into it). `greenlight tokens create` makes more.

import { createHash, randomBytes } from 'node:crypto';
import { expiryAfterDays, MAX_TOKEN_LIFETIME_DAYS } from '../domain/api-token-lifecycle.ts';
import { AppError } from '../errors.ts';
import type { Clock } from '../lib/clock.ts';
import { countUsableApiTokens, insertApiToken } from '../store/api-tokens.ts';
import { insertAuditEvent } from '../store/audit-events.ts';
import type { Db } from '../store/db.ts';

export const digestApiToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/**
 * Returns a newly generated token to show the operator, or null when a usable one exists (or comes from
 * the environment). Every token expired or revoked counts as none: serve would otherwise start with an
 * API nobody can use. A generated token is audited with the actor `system`.
 */
export async function ensureApiToken(deps: { db: Db; clock: Clock }, configured: string | null): Promise<string | null> {
  if (configured) {
    await insertApiToken(deps.db, { label: 'GREENLIGHT_API_TOKEN', sha256: digestApiToken(configured) }, deps.clock.now());
    return null;
  }
  if ((await countUsableApiTokens(deps.db, deps.clock.now())) > 0) return null;
  const created = await createApiToken(deps, { label: 'generated at start (no usable token)', expiresInDays: null });
  await insertAuditEvent(deps.db, { type: 'system' }, { action: 'api_token.create', targetType: 'api_token', targetId: created.id, detail: { label: created.label, expiresAt: null } }, created.createdAt);
  return created.token;
}

/** A new random token (32 bytes, URL-safe), stored as its digest. */
export async function issueApiToken(deps: { db: Db; clock: Clock }, label: string): Promise<string> {
  return (await createApiToken(deps, { label, expiresInDays: null })).token;
}

export type CreatedApiToken = { id: number; label: string; token: string; createdAt: Date; expiresAt: Date | null };

/** `greenlight tokens create`: a new token with its id and expiry; the token itself is shown once and never stored. */
export async function createApiToken(deps: { db: Db; clock: Clock }, input: { label: string; expiresInDays: number | null }): Promise<CreatedApiToken> {
  const label = input.label.trim();
  if (label.length < 1 || label.length > 200) throw new AppError('INVALID_INPUT', 'the label takes 1 to 200 characters');
  if (input.expiresInDays !== null && !(Number.isInteger(input.expiresInDays) && input.expiresInDays >= 1 && input.expiresInDays <= MAX_TOKEN_LIFETIME_DAYS)) {
    throw new AppError('INVALID_INPUT', `the expiry takes a whole number of days from 1 to ${MAX_TOKEN_LIFETIME_DAYS}`);
  }
  const token = `glt_${randomBytes(32).toString('base64url')}`;
  const createdAt = deps.clock.now();
  const expiresAt = input.expiresInDays === null ? null : expiryAfterDays(createdAt, input.expiresInDays);
  const id = await insertApiToken(deps.db, { label, sha256: digestApiToken(token), expiresAt }, createdAt);
  // 256 random bits cannot collide with a stored digest; if they did, the token would belong to someone else.
  if (id === null) throw new Error('createApiToken: the new token collided with a stored one');
  return { id, label, token, createdAt, expiresAt };
}
