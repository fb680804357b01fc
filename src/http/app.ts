// The HTTP surface of `greenlight serve`: health checks, the WhatsApp webhook, the /r/ click redirect, the REST API
// under /api and the dashboard. Errors become { error: { code, message, field? } } with a stable code.

import { Hono } from 'hono';
import type { Deps, WhatsAppDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { countPendingMigrations } from '../store/migrate.ts';
import { createApi, type ApiEnvironment } from './api/create-api.ts';
import { maskPath, requestLog } from './request-log.ts';
import { createDashboardRoutes } from './routes/dashboard.ts';
import { createMetricsRoutes } from './routes/metrics.ts';
import { createRedirectRoutes } from './routes/redirect.ts';
import { createWebhookRoutes, type WebhookRouteOptions } from './routes/webhook.ts';

/** `api`: the REST API (and the dashboard) are mounted only when given: tests of the webhook path need neither. */
export type HttpAppOptions = { webhook: WebhookRouteOptions; api?: { deps: WhatsAppDeps; environment: ApiEnvironment } };

export function createHttpApp(deps: Deps, options: HttpAppOptions): Hono {
  const app = new Hono();
  app.use(requestLog(deps.log));
  app.get('/healthz', (c) => c.json({ ok: true }));
  // Ready to serve: the database answers and has every migration this build expects. A load balancer or
  // process manager sends traffic (and a rolling deploy moves on) only then. Causes go to the log, not out.
  app.get('/readyz', async (c) => {
    try {
      const pending = await countPendingMigrations(deps.db);
      if (pending > 0) return c.json({ ok: false, reason: `${pending} database migration(s) not applied yet` }, 503);
      return c.json({ ok: true });
    } catch (error) {
      deps.log.error('readiness check failed', { error });
      return c.json({ ok: false, reason: 'the database does not answer' }, 503);
    }
  });
  // Prometheus scrapes without a token; the route exposes counts only, no personal data (see metrics.ts).
  app.route('/metrics', createMetricsRoutes(deps));
  app.route('/webhooks/whatsapp', createWebhookRoutes(deps, options.webhook));
  app.route('/r', createRedirectRoutes(deps));
  if (options.api) {
    app.route('/api', createApi(options.api.deps, options.api.environment));
    app.route('/', createDashboardRoutes());
  }
  app.notFound((c) => c.json({ error: { code: 'NOT_FOUND', message: `no route for ${c.req.method} ${c.req.path}` } }, 404));
  app.onError((error, c) => {
    if (error instanceof AppError) {
      const field = typeof error.details?.field === 'string' ? { field: error.details.field } : {};
      return c.json({ error: { code: error.code, message: error.message, ...field } }, error.httpStatus as 400);
    }
    // The Cloud client's management calls throw Meta's refusal as a GraphApiError (whatsapp/, which http/
    // does not import): an upstream failure, told as such, not an internal one.
    if (error instanceof Error && error.name === 'GraphApiError') {
      return c.json({ error: { code: 'META_API_ERROR', message: `Meta's API refused: ${error.message}` } }, 502);
    }
    deps.log.error('request failed', { method: c.req.method, path: maskPath(c.req.path), error });
    return c.json({ error: { code: 'INTERNAL', message: 'internal error; see the server log' } }, 500);
  });
  return app;
}
