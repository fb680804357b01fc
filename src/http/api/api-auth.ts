// Bearer-token authentication of the REST API. The presented token is hashed and compared with
// every stored digest in constant time (timingSafeEqual over equal-length digests), so the answer
// time says nothing about how much of a guess was right. The tokens themselves are never stored.

import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { digestApiToken } from '../../actions/issue-api-token.ts';
import { AppError } from '../../errors.ts';
import type { Db } from '../../store/db.ts';
import { listActiveApiTokens } from '../../store/api-tokens.ts';

// The token that authenticated the request, for the audit log (http/api/audit-actor.ts).
declare module 'hono' {
  interface ContextVariableMap {
    apiToken: { id: number; label: string };
  }
}

export function requireApiToken(db: Db): MiddlewareHandler {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new AppError('UNAUTHORIZED', 'send the API token as "Authorization: Bearer <token>" (GREENLIGHT_API_TOKEN, or the token serve printed at first start)');
    const presented = Buffer.from(digestApiToken(match[1]!), 'hex');
    let known: { id: number; label: string } | null = null;
    for (const token of await listActiveApiTokens(db)) {
      const candidate = Buffer.from(token.sha256, 'hex');
      if (candidate.length === presented.length && timingSafeEqual(candidate, presented)) known = { id: token.id, label: token.label };
    }
    if (!known) throw new AppError('UNAUTHORIZED', 'the API token is not valid');
    c.set('apiToken', known);
    await next();
  };
}
