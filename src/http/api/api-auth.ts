// Bearer-token authentication of the REST API (actions/authenticate-api-token.ts compares the token
// with every stored digest in constant time), and throttling of wrong tokens per client: after 20
// within a minute, that client gets 429 TOO_MANY_ATTEMPTS with Retry-After on every /api route, a
// right token included, until the window passes (domain/auth-throttle.ts). The failure counts live in
// this process's memory: a restart forgets them, and each `serve` process counts its own.

import type { Context, MiddlewareHandler } from 'hono';
import { authenticateApiToken } from '../../actions/authenticate-api-token.ts';
import { API_AUTH_THROTTLE, liveFailures, throttleClientKey, throttleVerdict, withFailure, type ThrottlePolicy, type ThrottleVerdict } from '../../domain/auth-throttle.ts';
import { AppError } from '../../errors.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Db } from '../../store/db.ts';

// The token that authenticated the request, for the audit log (http/api/audit-actor.ts).
declare module 'hono' {
  interface ContextVariableMap {
    apiToken: { id: number; label: string };
  }
}

/** Clients tracked at once; past it, expired counts are swept, then the longest-idle client is forgotten. */
const MAX_TRACKED_CLIENTS = 10_000;

export type FailedAttempts = { verdict(client: string, now: number): ThrottleVerdict; fail(client: string, now: number): void };

export function createFailedAttempts(policy: ThrottlePolicy = API_AUTH_THROTTLE, maxClients = MAX_TRACKED_CLIENTS): FailedAttempts {
  const failures = new Map<string, number[]>();
  return {
    verdict: (client, now) => throttleVerdict(failures.get(client) ?? [], now, policy),
    fail(client, now) {
      const next = withFailure(failures.get(client) ?? [], now, policy);
      // Re-inserted, so the Map's order is least recently failed first.
      failures.delete(client);
      if (failures.size >= maxClients) {
        for (const [key, times] of failures) if (liveFailures(times, now, policy).length === 0) failures.delete(key);
        if (failures.size >= maxClients) failures.delete(failures.keys().next().value!);
      }
      failures.set(client, next);
    },
  };
}

export function requireApiToken(deps: { db: Db; clock: Clock }, attempts: FailedAttempts = createFailedAttempts()): MiddlewareHandler {
  return async (c, next) => {
    const client = throttleClientKey(peerAddress(c), c.req.header('x-forwarded-for') ?? null);
    const verdict = attempts.verdict(client, deps.clock.now().getTime());
    if (verdict.blocked) {
      // Answered here rather than thrown: the error handler knows nothing of Retry-After.
      const message = `too many wrong API tokens from this client; try again in ${verdict.retryAfterSeconds} s`;
      return c.json({ error: { code: 'TOO_MANY_ATTEMPTS', message } }, 429, { 'Retry-After': String(verdict.retryAfterSeconds) });
    }
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    // Not counted: without a token there is nothing guessed (the dashboard asks without one at first).
    if (!match) throw new AppError('UNAUTHORIZED', 'send the API token as "Authorization: Bearer <token>" (GREENLIGHT_API_TOKEN, the token serve printed when it generated one, or one from `greenlight tokens create`)');
    const checked = await authenticateApiToken(deps, match[1]!);
    if (!checked.ok) {
      attempts.fail(client, deps.clock.now().getTime());
      throw new AppError(checked.code, checked.message);
    }
    c.set('apiToken', checked.token);
    await next();
  };
}

/** The TCP peer's address under @hono/node-server (its `incoming` request in the bindings); null elsewhere (app.request in tests). */
function peerAddress(c: Context): string | null {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? null;
}
