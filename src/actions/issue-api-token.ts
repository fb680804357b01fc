// The REST API's bearer token. GREENLIGHT_API_TOKEN, when set, is the token. Otherwise the first
// start generates one, stores only its digest and hands it back once, to be printed; later starts
// find a token already on record and print nothing (the digest cannot be turned back into it).

import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../lib/clock.ts';
import { countApiTokens, insertApiToken } from '../store/api-tokens.ts';
import type { Db } from '../store/db.ts';

export const digestApiToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** Returns a newly generated token to show the operator, or null when one exists (or comes from the environment). */
export async function ensureApiToken(deps: { db: Db; clock: Clock }, configured: string | null): Promise<string | null> {
  if (configured) {
    await insertApiToken(deps.db, { label: 'GREENLIGHT_API_TOKEN', sha256: digestApiToken(configured) }, deps.clock.now());
    return null;
  }
  if ((await countApiTokens(deps.db)) > 0) return null;
  return issueApiToken(deps, 'generated at first start');
}

/** A new random token (32 bytes, URL-safe), stored as its digest. */
export async function issueApiToken(deps: { db: Db; clock: Clock }, label: string): Promise<string> {
  const token = `glt_${randomBytes(32).toString('base64url')}`;
  await insertApiToken(deps.db, { label, sha256: digestApiToken(token) }, deps.clock.now());
  return token;
}
