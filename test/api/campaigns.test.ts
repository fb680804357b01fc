// The campaigns API against the simulator, on every engine: create (idempotent), list, show, estimate
// (the CLI's JSON plus lint), launch (idempotent), pause, resume, cancel, and — after a real run in
// simulated time — report (the CLI's JSON), throughput and the CSV export. Every route: its answer,
// bad input (400 with the field), a wrong token (401), an unknown id (404) and refused states (409).

import { tmpdir } from 'node:os';
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { createApiHarness, type ApiHarness } from '../helpers/api-harness.ts';
import { campaignDocument, MIXED_AUDIENCE, opted } from '../helpers/campaign-harness.ts';
import { runCliCaptured } from '../helpers/cli-capture.ts';
import { testBackends } from '../helpers/test-backends.ts';

/** Every campaign route with an id, and the body it takes. */
const ID_ROUTES: Array<[string, (id: number | string) => string, unknown?]> = [
  ['GET', (id) => `/api/campaigns/${id}`],
  ['POST', (id) => `/api/campaigns/${id}/estimate`],
  ['POST', (id) => `/api/campaigns/${id}/launch`],
  ['POST', (id) => `/api/campaigns/${id}/pause`, {}],
  ['POST', (id) => `/api/campaigns/${id}/resume`, {}],
  ['POST', (id) => `/api/campaigns/${id}/cancel`],
  ['GET', (id) => `/api/campaigns/${id}/report`],
  ['GET', (id) => `/api/campaigns/${id}/throughput`],
  ['GET', (id) => `/api/campaigns/${id}/export`],
];

async function create(h: ApiHarness, overrides: Record<string, unknown> = {}): Promise<number> {
  const created = await h.call('POST', '/api/campaigns', { body: campaignDocument(overrides) });
  expect(created.status, created.text).toBe(201);
  return created.body.campaign.id as number;
}

const cliJson = async (h: ApiHarness, ...args: string[]) => JSON.parse((await runCliCaptured(args, { cwd: tmpdir(), deps: h.deps })).out) as unknown;
const countCampaigns = async (h: ApiHarness) => (await h.db.query<{ n: number }>('select count(*)::int as n from campaigns'))[0]!.n;
const countMessages = async (h: ApiHarness, id: number) => (await h.db.query<{ n: number }>('select count(*)::int as n from messages where campaign_id = $1', [id]))[0]!.n;

describe.each(testBackends)('campaigns API on %s', (kind) => {
  it('POST /api/campaigns creates a draft (201) that GET /api/campaigns lists with zero counts and GET /api/campaigns/:id shows with its document, history and progress', async () => {
    const h = await createApiHarness(kind);
    await h.addPeople(MIXED_AUDIENCE);
    const created = await h.call('POST', '/api/campaigns', { body: campaignDocument() });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ campaign: { name: 'Winter sale', state: 'draft', templateName: 'winter_sale', recipients: 0, launchedAt: null, pauseReason: null }, audienceSize: 8, warnings: [] });
    expect(created.body.campaign.counts).toEqual({ planned: 0, deferred: 0, queued: 0, sending: 0, sent: 0, skipped: 0, failed: 0, unknown: 0, cancelled: 0 });
    const id = created.body.campaign.id;

    const list = await h.call('GET', '/api/campaigns');
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([created.body.campaign]);
    expect((await h.call('GET', '/api/campaigns?state=running')).body.items).toEqual([]);

    const shown = await h.call('GET', `/api/campaigns/${id}`);
    expect(shown.status).toBe(200);
    expect(shown.body.campaign).toEqual(created.body.campaign);
    expect(shown.body.spec).toMatchObject({ template: 'winter_sale', defaultLanguage: 'en_US', audience: { tags: ['customers'] } });
    expect(shown.body.events).toEqual([{ occurredAt: expect.any(String), kind: 'created', detail: 'created "Winter sale"' }]);
    expect(shown.body.progress).toEqual({ targeted: 0, sent: 0, skipped: 0, failed: 0, pending: 0, unknown: 0, cancelled: 0 });
  });

  it('POST /api/campaigns with an Idempotency-Key: a retry gets the first answer and creates nothing more; the same key with another document is refused (422) and creates nothing', async () => {
    const h = await createApiHarness(kind);
    const headers = { 'Idempotency-Key': 'create-winter-sale-1' };
    const first = await h.call('POST', '/api/campaigns', { body: campaignDocument(), headers });
    const retry = await h.call('POST', '/api/campaigns', { body: campaignDocument(), headers });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await countCampaigns(h)).toBe(1);
    const reused = await h.call('POST', '/api/campaigns', { body: campaignDocument({ name: 'Another sale' }), headers });
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await countCampaigns(h)).toBe(1);
  });

  it('POST /api/campaigns answers an invalid document with 400 naming the path of the first problem, and an unknown template or sender with 404, creating nothing', async () => {
    const h = await createApiHarness(kind);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ audience: {} }, 'audience'],
      [{ name: undefined }, 'name'],
      [{ variables: { body: { '1': { from: 'contact', field: 'shoe_size' } } } }, 'variables.body.1'],
      [{ defaultLanguage: 'english please' }, 'defaultLanguage'],
      [{ quietHours: { start: 22, end: 22 } }, 'quietHours'],
    ];
    for (const [overrides, field] of cases) {
      const refused = await h.call('POST', '/api/campaigns', { body: campaignDocument(overrides) });
      expect(refused.status, field).toBe(400);
      expect(refused.body.error).toMatchObject({ code: 'INVALID_INPUT', field });
    }
    expect((await h.call('POST', '/api/campaigns', { body: 'not a document' })).body.error.field).toBe('body');
    for (const overrides of [{ template: 'no_such_template' }, { sender: '999999999' }]) {
      const missing = await h.call('POST', '/api/campaigns', { body: campaignDocument(overrides) });
      expect(missing.status).toBe(404);
      expect(missing.body.error.code).toBe('NOT_FOUND');
    }
    expect(await countCampaigns(h)).toBe(0);
  });

  it('GET /api/campaigns refuses an unknown state filter with 400 naming state', async () => {
    const h = await createApiHarness(kind);
    const bad = await h.call('GET', '/api/campaigns?state=sending');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'state' });
  });

  it('every campaign route refuses a request without a valid token (401) and changes nothing', async () => {
    const h = await createApiHarness(kind);
    const id = await create(h);
    const routes: Array<[string, string, unknown?]> = [['GET', '/api/campaigns'], ['POST', '/api/campaigns', campaignDocument()], ...ID_ROUTES.map(([method, path, body]): [string, string, unknown?] => [method, path(id), body])];
    for (const [method, path, body] of routes) {
      const refused = await h.call(method, path, { body, token: 'glt_not-the-token' });
      expect(refused.status, `${method} ${path}`).toBe(401);
      expect(refused.body.error.code).toBe('UNAUTHORIZED');
    }
    expect(await countCampaigns(h)).toBe(1);
    expect((await h.call('GET', `/api/campaigns/${id}`)).body.campaign.state).toBe('draft');
  });

  it('every route with a campaign id answers 404 for an unknown campaign and 400 naming id for a malformed one', async () => {
    const h = await createApiHarness(kind);
    for (const [method, path, body] of ID_ROUTES) {
      const missing = await h.call(method, path(4242), { body });
      expect(missing.status, `${method} ${path(4242)}`).toBe(404);
      expect(missing.body.error.code).toBe('NOT_FOUND');
      const malformed = await h.call(method, path('winter'), { body });
      expect(malformed.status, `${method} ${path('winter')}`).toBe(400);
      expect(malformed.body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'id' });
    }
  });

  it('POST /api/campaigns/:id/estimate answers the JSON of `campaigns estimate --json` plus lint of every template and language the audience will get', async () => {
    const h = await createApiHarness(kind);
    await h.addPeople(MIXED_AUDIENCE);
    const id = await create(h, { variants: [{ name: 'a', template: 'winter_sale' }, { name: 'b', template: 'winter_sale_b' }] });
    const estimate = await h.call('POST', `/api/campaigns/${id}/estimate`);
    expect(estimate.status).toBe(200);
    const { lint, ...rest } = estimate.body;
    expect(rest).toEqual(await cliJson(h, 'campaigns', 'estimate', String(id), '--json'));
    expect(rest).toMatchObject({ campaignId: id, recipients: 8, skipped: { opted_out: 1, no_consent: 1, us_marketing: 1 } });
    // French and English contacts get en_US, João gets pt_BR; winter_sale_b has only en_US.
    expect(lint.map((entry: any) => `${entry.template}/${entry.language}`)).toEqual(['winter_sale/en_US', 'winter_sale/pt_BR', 'winter_sale_b/en_US']);
    expect(lint.every((entry: any) => Array.isArray(entry.findings))).toBe(true);
  });

  it('POST /api/campaigns/:id/launch plans one message per recipient; a retry with the same Idempotency-Key gets the first answer and plans nothing more', async () => {
    const h = await createApiHarness(kind);
    await h.addPeople(MIXED_AUDIENCE);
    const id = await create(h);
    const headers = { 'Idempotency-Key': `launch-${id}` };
    const launched = await h.call('POST', `/api/campaigns/${id}/launch`, { headers });
    expect(launched.status).toBe(200);
    expect(launched.body).toMatchObject({ campaign: { id, state: 'running', recipients: 8, counts: { planned: 8 } }, planned: 8, canarySize: 0 });
    const retry = await h.call('POST', `/api/campaigns/${id}/launch`, { headers });
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(launched.body);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await countMessages(h, id)).toBe(8);
    const events = (await h.call('GET', `/api/campaigns/${id}`)).body.events.map((event: { kind: string }) => event.kind);
    expect(events.filter((kind: string) => kind === 'launched')).toHaveLength(1);
  });

  it('launching a running campaign is refused with 409 INVALID_STATE (without a key) and plans nothing more', async () => {
    const h = await createApiHarness(kind);
    await h.addPeople(MIXED_AUDIENCE);
    const id = await create(h);
    expect((await h.call('POST', `/api/campaigns/${id}/launch`)).status).toBe(200);
    const again = await h.call('POST', `/api/campaigns/${id}/launch`);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'INVALID_STATE', message: expect.stringMatching(/cannot launch a running campaign/) });
    expect(await countMessages(h, id)).toBe(8);
  });

  it('pause, resume and cancel move a running campaign and answer its summary; each refuses a state that does not allow it with 409', async () => {
    const h = await createApiHarness(kind);
    await h.addPeople(MIXED_AUDIENCE);
    const id = await create(h);
    const draftPause = await h.call('POST', `/api/campaigns/${id}/pause`, { body: {} });
    expect(draftPause.status).toBe(409);
    expect(draftPause.body.error.message).toMatch(/cannot pause a draft campaign/);
    expect((await h.call('POST', `/api/campaigns/${id}/resume`)).status).toBe(409);

    await h.call('POST', `/api/campaigns/${id}/launch`);
    const paused = await h.call('POST', `/api/campaigns/${id}/pause`, { body: { note: 'checking the prices' } });
    expect(paused.status).toBe(200);
    expect(paused.body.campaign).toMatchObject({ id, state: 'paused', pauseReason: 'manual', pauseDetail: 'paused by hand: checking the prices' });
    expect((await h.call('POST', `/api/campaigns/${id}/pause`)).status).toBe(409);

    const resumed = await h.call('POST', `/api/campaigns/${id}/resume`, { body: { budgetUsd: 50 } });
    expect(resumed.status).toBe(200);
    expect(resumed.body.campaign).toMatchObject({ state: 'running', pauseReason: null });
    expect((await h.call('GET', `/api/campaigns/${id}`)).body.spec.budget).toEqual({ usd: 50 });

    const cancelled = await h.call('POST', `/api/campaigns/${id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.campaign.state).toBe('cancelled');
    // Nothing was dispatched (no worker ran): every planned message is cancelled.
    expect(cancelled.body.cancelledMessages).toBe(8);
    expect(cancelled.body.campaign.counts).toMatchObject({ planned: 0, cancelled: 8 });
    const twice = await h.call('POST', `/api/campaigns/${id}/cancel`);
    expect(twice.status).toBe(409);
    expect(twice.body.error.message).toMatch(/cancelled; nothing can change it now/);
    expect((await h.call('POST', `/api/campaigns/${id}/resume`)).status).toBe(409);
  });

  it('pause and resume answer a bad body with 400 naming the field, changing nothing', async () => {
    const h = await createApiHarness(kind);
    await h.addPeople(MIXED_AUDIENCE);
    const id = await create(h);
    await h.call('POST', `/api/campaigns/${id}/launch`);
    const blankNote = await h.call('POST', `/api/campaigns/${id}/pause`, { body: { note: '   ' } });
    expect(blankNote.status).toBe(400);
    expect(blankNote.body.error.field).toBe('note');
    const unknownField = await h.call('POST', `/api/campaigns/${id}/pause`, { body: { reason: 'x' } });
    expect(unknownField.status).toBe(400);
    await h.call('POST', `/api/campaigns/${id}/pause`);
    const negative = await h.call('POST', `/api/campaigns/${id}/resume`, { body: { budgetUsd: -5 } });
    expect(negative.status).toBe(400);
    expect(negative.body.error.field).toBe('budgetUsd');
    expect((await h.call('GET', `/api/campaigns/${id}`)).body.campaign.state).toBe('paused');
  });

  it('after a run against the simulator: the report is the JSON of `campaigns report --json`, throughput adds up to the sends and failures, the export streams one CSV line per recipient, and a completed campaign cannot be resumed (409)', async () => {
    const h = await createApiHarness(kind, { simulator: { population: { notOnWhatsAppShare: 0, undeliverablePattern: '^4915199999' } } });
    await h.addPeople([...MIXED_AUDIENCE, opted('+4915199999001', 'Una Undeliverable')]);
    const id = await create(h);
    expect((await h.call('POST', `/api/campaigns/${id}/launch`)).body.planned).toBe(9);
    await h.runFor(200_000);

    const report = await h.call('GET', `/api/campaigns/${id}/report`);
    expect(report.status).toBe(200);
    expect(report.body).toEqual(await cliJson(h, 'campaigns', 'report', String(id), '--json'));
    expect(report.body).toMatchObject({ campaign: { id, state: 'completed' }, totals: { counts: { targeted: 9, sent: 6, skipped: 3 } } });

    const throughput = await h.call('GET', `/api/campaigns/${id}/throughput?bucketSeconds=10`);
    expect(throughput.status).toBe(200);
    expect(throughput.body.bucketSeconds).toBe(10);
    const points: Array<{ at: string; sent: number; failed: number }> = throughput.body.points;
    expect(points.reduce((sum, point) => sum + point.sent, 0)).toBe(6);
    expect(points.reduce((sum, point) => sum + point.failed, 0)).toBe(1);
    expect(points.every((point) => Date.parse(point.at) % 10_000 === 0)).toBe(true);
    expect((await h.call('GET', `/api/campaigns/${id}/throughput`)).body.bucketSeconds).toBe(60);

    const exported = await h.call('GET', `/api/campaigns/${id}/export`);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(exported.headers.get('content-disposition')).toBe(`attachment; filename="campaign-${id}-recipients.csv"`);
    const rows: Array<Record<string, string>> = parseCsv(exported.text, { columns: true });
    expect(rows).toHaveLength(9);
    expect(rows.find((row) => row['phone'] === '+4915112345004')).toMatchObject({ dispatch_state: 'skipped', reason: 'opted_out' });
    expect(rows.find((row) => row['phone'] === '+4915199999001')).toMatchObject({ dispatch_state: 'sent', status: 'failed' });

    const progress = (await h.call('GET', `/api/campaigns/${id}`)).body.progress;
    expect(progress).toEqual({ targeted: 9, sent: 6, skipped: 3, failed: 0, pending: 0, unknown: 0, cancelled: 0 });
    const resume = await h.call('POST', `/api/campaigns/${id}/resume`);
    expect(resume.status).toBe(409);
    expect(resume.body.error.message).toMatch(/completed; nothing can change it now/);
  });

  it('GET /api/campaigns/:id/throughput refuses a bucket outside 1 s – 1 day with 400 naming bucketSeconds', async () => {
    const h = await createApiHarness(kind);
    const id = await create(h);
    for (const bucket of ['0', '86401', 'soon']) {
      const refused = await h.call('GET', `/api/campaigns/${id}/throughput?bucketSeconds=${bucket}`);
      expect(refused.status, bucket).toBe(400);
      expect(refused.body.error.field).toBe('bucketSeconds');
    }
  });

  it('the OpenAPI document lists every template and campaign route with the statuses it can answer', async () => {
    const h = await createApiHarness(kind);
    const { paths } = (await h.call('GET', '/api/openapi.json', { token: null })).body;
    expect(Object.keys(paths['/api/campaigns/{id}/launch'].post.responses)).toEqual(['200', '400', '401', '404', '409', '422']);
    expect(paths['/api/campaigns'].post.parameters).toContainEqual(expect.objectContaining({ name: 'Idempotency-Key', in: 'header' }));
    expect(paths['/api/campaigns'].post.requestBody.content['application/json'].schema.properties.audience).toBeDefined();
    for (const path of ['/api/templates', '/api/templates/{name}', '/api/templates/lint', '/api/templates/sync', '/api/templates/preview', '/api/campaigns/{id}/export', '/api/campaigns/{id}/throughput']) expect(paths[path], path).toBeDefined();
  });
});
