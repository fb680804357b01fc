// The REST API under /api: bearer-token auth on everything but the OpenAPI document, one file of
// routes per resource, and the document built from the same declarations.

import { Hono } from 'hono';
import type { WhatsAppDeps } from '../../deps.ts';
import { requireApiToken } from './api-auth.ts';
import { createApiRouter } from './api-kit.ts';
import { auditRoutes } from './audit-routes.ts';
import { campaignRoutes } from './campaign-routes.ts';
import { contactRoutes } from './contact-routes.ts';
import { erasureRoutes } from './erasure-routes.ts';
import { inboxRoutes } from './inbox-routes.ts';
import { buildOpenApiDocument } from './openapi.ts';
import { senderRoutes } from './sender-routes.ts';
import { statusRoutes, type ApiEnvironment } from './status-routes.ts';
import { templateRoutes } from './template-routes.ts';

export type { ApiEnvironment } from './status-routes.ts';

export function createApi(deps: WhatsAppDeps, environment: ApiEnvironment): Hono {
  const app = new Hono();
  const protectedApp = new Hono();
  protectedApp.use('*', requireApiToken(deps));
  const api = createApiRouter(protectedApp, deps);
  statusRoutes(api, deps, environment);
  contactRoutes(api, deps, environment);
  senderRoutes(api, deps, environment);
  templateRoutes(api, deps, environment);
  campaignRoutes(api, deps, environment);
  inboxRoutes(api, deps, environment);
  auditRoutes(api, deps, environment);
  erasureRoutes(api, deps, environment);
  const document = buildOpenApiDocument(api.declarations(), { version: '0.1.0' });
  app.get('/openapi.json', (c) => c.json(document));
  app.route('/', protectedApp);
  return app;
}
