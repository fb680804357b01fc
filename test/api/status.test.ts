// The API's frame: bearer auth (401 without or with a wrong token), the status route, the OpenAPI
// document listing every declared route, and idempotency keys.

import { describe, expect, it } from 'vitest';
import { createApiHarness, type ApiHarness } from '../helpers/api-harness.ts';
import { testBackends } from '../helpers/test-backends.ts';

describe.each(testBackends)('REST API frame on %s', (kind) => {
  let h: ApiHarness;

  it('refuses a request without a token or with a wrong one (401 UNAUTHORIZED) and answers with the right one', async () => {
    h = await createApiHarness(kind);
    const none = await h.call('GET', '/api/status', { token: null });
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('UNAUTHORIZED');
    const wrong = await h.call('GET', '/api/status', { token: 'glt_not-the-token' });
    expect(wrong.status).toBe(401);
    const ok = await h.call('GET', '/api/status');
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ mode: 'simulator', database: kind, guardPauses: [] });
  });

  it('serves the OpenAPI document without a token, with the status route and bearer security', async () => {
    h = await createApiHarness(kind);
    const doc = await h.call('GET', '/api/openapi.json', { token: null });
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    expect(doc.body.paths['/api/status'].get.summary).toMatch(/simulator/);
    expect(doc.body.components.securitySchemes.bearer).toEqual({ type: 'http', scheme: 'bearer' });
  });

  it('documents every route of the contract in the OpenAPI document, and every documented route refuses a request without a token (401)', async () => {
    h = await createApiHarness(kind);
    const doc = (await h.call('GET', '/api/openapi.json', { token: null })).body;
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
    const contract = [
      'GET /api/status', 'GET /api/senders', 'GET /api/senders/{id}', 'POST /api/senders/{id}/sync',
      'GET /api/contacts', 'GET /api/contacts/{id}', 'POST /api/contacts/{id}/opt-in', 'POST /api/contacts/{id}/opt-out', 'POST /api/contacts/import',
      'GET /api/templates', 'GET /api/templates/{name}', 'POST /api/templates/lint', 'POST /api/templates', 'POST /api/templates/sync', 'POST /api/templates/preview',
      'GET /api/campaigns', 'POST /api/campaigns', 'GET /api/campaigns/{id}', 'POST /api/campaigns/{id}/estimate', 'POST /api/campaigns/{id}/launch',
      'POST /api/campaigns/{id}/pause', 'POST /api/campaigns/{id}/resume', 'POST /api/campaigns/{id}/cancel', 'GET /api/campaigns/{id}/report',
      'GET /api/campaigns/{id}/throughput', 'GET /api/campaigns/{id}/export',
      'GET /api/conversations', 'GET /api/conversations/{contactId}', 'POST /api/messages',
    ];
    expect(documented).toEqual(expect.arrayContaining(contract));
    for (const route of documented) {
      const [method, path] = route.split(' ') as [string, string];
      const concrete = path.replace(/\{[^}]+\}/g, '1');
      const answer = await h.call(method, concrete, { token: null, body: method === 'GET' ? undefined : {} });
      expect(answer.status, `${route} without a token`).toBe(401);
      expect(answer.body.error.code).toBe('UNAUTHORIZED');
    }
  });

  it('answers an unknown API route with 404 NOT_FOUND in the error shape', async () => {
    h = await createApiHarness(kind);
    const missing = await h.call('GET', '/api/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
  });
});
