// The life of a REST API token: active until revoked or past its expiry, and how often its last use is
// written down. Pure: the caller passes `now`.

export type ApiTokenState = 'active' | 'revoked' | 'expired';

/** A revocation wins over an expiry: it is the operator's explicit act, and the clearer thing to report. */
export function apiTokenState(token: { revokedAt: Date | null; expiresAt: Date | null }, now: Date): ApiTokenState {
  if (token.revokedAt !== null) return 'revoked';
  if (token.expiresAt !== null && token.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'active';
}

/**
 * `last_used_at` is accurate to a minute: writing it on every request would turn every API read into a
 * database write. The store's update repeats the condition, so concurrent requests write it once.
 */
export const LAST_USED_RESOLUTION_MS = 60_000;

export function lastUseIsStale(lastUsedAt: Date | null, now: Date): boolean {
  return lastUsedAt === null || now.getTime() - lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS;
}

/** The longest lifetime `tokens create --expires-in-days` accepts (10 years); omit the flag for no expiry. */
export const MAX_TOKEN_LIFETIME_DAYS = 3650;

export function expiryAfterDays(createdAt: Date, days: number): Date {
  return new Date(createdAt.getTime() + days * 24 * 60 * 60 * 1000);
}
