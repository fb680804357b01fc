// When Meta refuses a management call the API made on the user's behalf (here: the access token is
// not Meta's), the answer is 502 META_API_ERROR with Meta's reason, not a 500 that hides it.
import { describe, expect, it } from 'vitest';
import { issueApiToken } from '../../src/actions/issue-api-token.ts';
import { loadDefaultRateCard } from '../../src/domain/rate-card.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { createCloudClient } from '../../src/whatsapp/client.ts';
import { createCampaignHarness, PUBLIC_URL } from '../helpers/campaign-harness.ts';
import { testBackends } from '../helpers/test-backends.ts';

describe.each(testBackends)("Meta's refusals through the API on %s", (kind) => {
  it('answers 502 META_API_ERROR with Meta\'s reason when Meta refuses a template sync', async () => {
    const h = await createCampaignHarness(kind);
    const refused = createCloudClient({ baseUrl: 'http://simulator.invalid', apiVersion: 'v25.0', accessToken: 'not-the-token', fetch: h.simulator.fetch });
    const deps = { ...h.deps, whatsapp: refused };
    const app = createHttpApp(deps, { webhook: { appSecret: 'secret', verifyToken: null }, api: { deps, environment: { mode: 'simulator', rateCard: loadDefaultRateCard(), publicUrl: PUBLIC_URL } } });
    const token = await issueApiToken(deps, 'test');
    const response = await app.request('/api/templates/sync', { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(502);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('META_API_ERROR');
    expect(body.error.message).toMatch(/^Meta's API refused: /);
    expect(body.error.message).not.toContain('not-the-token');
    await refused.close();
  });
});
