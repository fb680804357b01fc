// The audit log, on every engine: campaign launch, pause, resume, cancel and export, and consent
// changes, are recorded with who did them (the API token's id and label, or 'cli'), read back through
// GET /api/audit in keyset pages; the table refuses edits and deletes; a refused action leaves no entry.

import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { issueApiToken } from '../../src/actions/issue-api-token.ts';
import { createApiHarness, type ApiHarness } from '../helpers/api-harness.ts';
import { campaignDocument, MIXED_AUDIENCE } from '../helpers/campaign-harness.ts';
import { runCliCaptured } from '../helpers/cli-capture.ts';
import { testBackends } from '../helpers/test-backends.ts';

async function createCampaign(h: ApiHarness): Promise<number> {
  const created = await h.call('POST', '/api/campaigns', { body: campaignDocument() });
  expect(created.status, created.text).toBe(201);
  return created.body.campaign.id as number;
}

const tokenRow = async (h: ApiHarness, label: string) => (await h.db.query<{ id: number }>('select id from api_tokens where label = $1', [label]))[0]!.id;

describe.each(testBackends)('audit log on %s', (kind) => {
  it('records launch, pause, resume, export and cancel made through the API with the token that made them, oldest first', async () => {
    const h = await createApiHarness(kind);
    await h.addPeople(MIXED_AUDIENCE);
    const id = await createCampaign(h);
    const ops = await issueApiToken(h.deps, 'ops laptop');
    expect((await h.call('POST', `/api/campaigns/${id}/launch`)).status).toBe(200);
    expect((await h.call('POST', `/api/campaigns/${id}/pause`, { body: { note: 'check copy' }, token: ops })).status).toBe(200);
    expect((await h.call('POST', `/api/campaigns/${id}/resume`, { body: {} })).status).toBe(200);
    expect((await h.call('GET', `/api/campaigns/${id}/export`)).status).toBe(200);
    expect((await h.call('POST', `/api/campaigns/${id}/cancel`, { token: ops })).status).toBe(200);

    const log = await h.call('GET', '/api/audit');
    expect(log.status).toBe(200);
    const testToken = { type: 'api_token', tokenId: await tokenRow(h, 'test'), label: 'test' };
    const opsToken = { type: 'api_token', tokenId: await tokenRow(h, 'ops laptop'), label: 'ops laptop' };
    expect(log.body.items.map((item: { action: string; actor: unknown; targetType: string; targetId: string }) => [item.action, item.actor, item.targetType, item.targetId])).toEqual([
      ['campaign.launch', testToken, 'campaign', String(id)],
      ['campaign.pause', opsToken, 'campaign', String(id)],
      ['campaign.resume', testToken, 'campaign', String(id)],
      ['campaign.export_recipients', testToken, 'campaign', String(id)],
      ['campaign.cancel', opsToken, 'campaign', String(id)],
    ]);
    expect(log.body.items[0]).toMatchObject({ occurredAt: expect.any(String), detail: { recipients: expect.any(Number) } });
    expect(log.body.nextAfter).toBeNull();
  }, 90_000);

  it('records opt-in and opt-out by API with the contact id and no phone number or proof text in the entry', async () => {
    const h = await createApiHarness(kind);
    await h.addPeople(MIXED_AUDIENCE);
    const anna = (await h.call('GET', '/api/contacts?q=Anna')).body.items[0];
    expect((await h.call('POST', `/api/contacts/${anna.id}/opt-in`, { body: { category: 'utility', source: 'support call', proof: 'Yes, send me order updates' } })).status).toBe(201);
    expect((await h.call('POST', `/api/contacts/${anna.id}/opt-out`, { body: { category: 'all' } })).status).toBe(200);
    const items = (await h.call('GET', '/api/audit')).body.items;
    expect(items.map((item: { action: string; targetId: string; detail: unknown }) => [item.action, item.targetId, item.detail])).toEqual([
      ['contact.opt_in', String(anna.id), { categories: ['utility'], eventsRecorded: 1 }],
      ['contact.opt_out', String(anna.id), { categories: ['marketing', 'utility'], eventsRecorded: 2 }],
    ]);
    expect(JSON.stringify(items)).not.toMatch(/4915112345001|Anna|order updates/);
  });

  it("records CLI commands with the actor 'cli'", async () => {
    const h = await createApiHarness(kind);
    await h.addPeople(MIXED_AUDIENCE);
    const id = await createCampaign(h);
    const cli = (...args: string[]) => runCliCaptured(args, { cwd: tmpdir(), deps: h.deps });
    expect((await cli('campaigns', 'launch', String(id))).code).toBe(0);
    expect((await cli('campaigns', 'pause', String(id))).code).toBe(0);
    expect((await cli('contacts', 'opt-out', '+4915112345002')).code).toBe(0);
    const items = (await h.call('GET', '/api/audit')).body.items;
    expect(items.map((item: { action: string; actor: unknown }) => [item.action, item.actor])).toEqual([
      ['campaign.launch', { type: 'cli', tokenId: null, label: 'cli' }],
      ['campaign.pause', { type: 'cli', tokenId: null, label: 'cli' }],
      ['contact.opt_out', { type: 'cli', tokenId: null, label: 'cli' }],
    ]);
    expect(items[2].targetId).toMatch(/^\d+$/);
  });

  it('leaves no entry for a refused action (409, 404) and pages with after/limit', async () => {
    const h = await createApiHarness(kind);
    await h.addPeople(MIXED_AUDIENCE);
    const id = await createCampaign(h);
    expect((await h.call('POST', `/api/campaigns/${id}/pause`, { body: {} })).status).toBe(409);
    expect((await h.call('POST', '/api/campaigns/9999/cancel')).status).toBe(404);
    expect((await h.call('GET', '/api/audit')).body.items).toEqual([]);

    await h.call('POST', `/api/campaigns/${id}/launch`);
    await h.call('POST', `/api/campaigns/${id}/pause`, { body: {} });
    await h.call('POST', `/api/campaigns/${id}/resume`, { body: {} });
    const first = await h.call('GET', '/api/audit?limit=2');
    expect(first.body.items.map((item: { action: string }) => item.action)).toEqual(['campaign.launch', 'campaign.pause']);
    expect(first.body.nextAfter).toBe(first.body.items[1].id);
    const second = await h.call('GET', `/api/audit?limit=2&after=${first.body.nextAfter}`);
    expect(second.body.items.map((item: { action: string }) => item.action)).toEqual(['campaign.resume']);
    expect(second.body.nextAfter).toBeNull();
    expect((await h.call('GET', '/api/audit?limit=0')).status).toBe(400);
    expect((await h.call('GET', '/api/audit', { token: null })).status).toBe(401);
  });

  it('is append-only: the database refuses to change or delete an entry', async () => {
    const h = await createApiHarness(kind);
    await h.addPeople(MIXED_AUDIENCE);
    const id = await createCampaign(h);
    await h.call('POST', `/api/campaigns/${id}/launch`);
    await expect(h.db.query("update audit_events set actor_label = 'someone else'")).rejects.toThrow(/append-only/);
    await expect(h.db.query('delete from audit_events')).rejects.toThrow(/append-only/);
    expect((await h.call('GET', '/api/audit')).body.items).toHaveLength(1);
  });
});
