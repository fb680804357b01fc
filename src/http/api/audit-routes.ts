// REST API route: the audit log, oldest first, keyset-paged so a reader (a SIEM, a cron job) can
// follow it: call again with after = nextAfter until it is null.

import { z } from 'zod';
import type { WhatsAppDeps } from '../../deps.ts';
import { listAuditEvents } from '../../store/audit-events.ts';
import { pageQuery, type ApiRouter } from './api-kit.ts';
import type { ApiEnvironment } from './status-routes.ts';

export function auditRoutes(api: ApiRouter, deps: WhatsAppDeps, _environment: ApiEnvironment): void {
  api.route({
    method: 'get', path: '/audit', tag: 'audit', summary: 'The audit log: who (API token or cli) launched, paused, resumed, cancelled, exported, recorded consent or erased what, and when',
    query: z.object(pageQuery),
    responses: { 200: '{ items: [{ id, occurredAt, actor: { type, tokenId, label }, action, targetType, targetId, detail }], nextAfter }', 400: 'A query parameter is not valid' },
  }, async ({ query }) => {
    const items = await listAuditEvents(deps.db, { afterId: query.after ?? null, limit: query.limit });
    return { status: 200, body: { items, nextAfter: items.length === query.limit ? items.at(-1)!.id : null } };
  });
}
