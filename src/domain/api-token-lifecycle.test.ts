import { describe, expect, it } from 'vitest';
import { apiTokenState, expiryAfterDays, lastUseIsStale } from './api-token-lifecycle.ts';

const NOW = new Date('2026-11-25T12:00:00Z');
const at = (iso: string) => new Date(iso);

describe('API token lifecycle', () => {
  it('a token is active until revoked or until its expiry instant, and a revocation is reported before an expiry', () => {
    expect(apiTokenState({ revokedAt: null, expiresAt: null }, NOW)).toBe('active');
    expect(apiTokenState({ revokedAt: null, expiresAt: at('2026-11-25T12:00:00.001Z') }, NOW)).toBe('active');
    expect(apiTokenState({ revokedAt: null, expiresAt: NOW }, NOW)).toBe('expired');
    expect(apiTokenState({ revokedAt: at('2026-11-20T00:00:00Z'), expiresAt: null }, NOW)).toBe('revoked');
    expect(apiTokenState({ revokedAt: at('2026-11-20T00:00:00Z'), expiresAt: at('2026-11-21T00:00:00Z') }, NOW)).toBe('revoked');
  });

  it('writes the last use at most once a minute per token', () => {
    expect(lastUseIsStale(null, NOW)).toBe(true);
    expect(lastUseIsStale(at('2026-11-25T11:59:00.001Z'), NOW)).toBe(false);
    expect(lastUseIsStale(at('2026-11-25T11:59:00Z'), NOW)).toBe(true);
  });

  it('expires N whole days after creation', () => {
    expect(expiryAfterDays(NOW, 30).toISOString()).toBe('2026-12-25T12:00:00.000Z');
  });
});
