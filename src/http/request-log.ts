// One JSON log line per HTTP request (debug level: method, path, status, milliseconds), for operators
// who turn GREENLIGHT_LOG_LEVEL=debug on. Never the query string, headers or body (tokens, phone
// numbers); digit runs that could be a phone number and /r/ click tokens are masked in the path too.

import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../lib/logger.ts';

export function requestLog(log: Logger): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();
    log.debug('http.request', { method: c.req.method, path: maskPath(c.req.path), status: c.res.status, ms: Math.round(performance.now() - started) });
  };
}

/** `/api/contacts/+4915112345678` → `/api/contacts/[number]`; `/r/AbC123` → `/r/[token]`. Ids stay: they are short. */
export function maskPath(path: string): string {
  return path.replace(/^\/r\/[^/]+/, '/r/[token]').replace(/(?:\+|%2B)?\d{7,}/gi, '[number]');
}
