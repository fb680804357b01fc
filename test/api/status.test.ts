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

  it('answers an unknown API route with 404 NOT_FOUND in the error shape', async () => {
    h = await createApiHarness(kind);
    const missing = await h.call('GET', '/api/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
  });
});
