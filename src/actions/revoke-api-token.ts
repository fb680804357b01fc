// `greenlight tokens revoke ID`: the token stops working at its next request (the API reads the token
// list on every request; nothing is cached). The row stays, so the audit log's entries made with it
// keep their actor. Revoking twice changes nothing and says so.

import { AppError } from '../errors.ts';
import type { Clock } from '../lib/clock.ts';
import { findApiToken, revokeApiTokenById, type ApiTokenRecord } from '../store/api-tokens.ts';
import type { Db } from '../store/db.ts';

export type RevokedApiToken = { token: ApiTokenRecord; revoked: boolean };

export async function revokeApiToken(deps: { db: Db; clock: Clock }, id: number): Promise<RevokedApiToken> {
  const revoked = await revokeApiTokenById(deps.db, id, deps.clock.now());
  if (revoked) return { token: revoked, revoked: true };
  const existing = await findApiToken(deps.db, id);
  if (!existing) throw new AppError('NOT_FOUND', `no API token with id ${id} (greenlight tokens list shows them)`);
  return { token: existing, revoked: false };
}
