// The template round trip against the simulator, end to end and on every engine: submit → PENDING →
// the review's APPROVED webhook → sync agrees → a quality webhook (YELLOW) is reflected. The client,
// the simulator's signed webhooks, the receiver and the processor are all the real ones.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { processWebhookEvents } from '../../src/actions/process-webhook-events.ts';
import { submitTemplate } from '../../src/actions/submit-template.ts';
import { syncTemplates } from '../../src/actions/sync-templates.ts';
import { loadConfig } from '../../src/config.ts';
import type { WhatsAppDeps } from '../../src/deps.ts';
import { parseTemplateJson } from '../../src/domain/template-json.ts';
import type { TemplateDefinition } from '../../src/domain/template.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { createManualClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { createSimulator } from '../../src/simulator/create-simulator.ts';
import { listStoredTemplates } from '../../src/store/templates.ts';
import { createCloudClient } from '../../src/whatsapp/client.ts';
import { parseWebhook } from '../../src/whatsapp/webhook.ts';
import { createTestDb } from '../helpers/test-db.ts';
import { testBackends } from '../helpers/test-backends.ts';

const wabaId = '102290129340398';

function starter(file: string): TemplateDefinition {
  const parsed = parseTemplateJson(JSON.parse(readFileSync(new URL(`../../templates/starter/${file}`, import.meta.url), 'utf8')));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.template;
}

async function setup(kind: Parameters<typeof createTestDb>[0]) {
  const db = await createTestDb(kind);
  const receiver: { app: ReturnType<typeof createHttpApp> | null } = { app: null };
  const simulator = createSimulator({
    seed: 3, startAt: new Date('2026-09-15T09:00:00Z'), accessToken: 'tok', appSecret: 'secret', templateReviewDelayMs: 60_000,
    webhook: { deliver: async (request) => ({ status: (await receiver.app!.request('/webhooks/whatsapp', { method: 'POST', headers: request.headers, body: request.body })).status }) },
  });
  const whatsapp = createCloudClient({ baseUrl: 'http://simulator.invalid', apiVersion: 'v25.0', accessToken: 'tok', fetch: simulator.fetch });
  const deps: WhatsAppDeps = { config: loadConfig({}, '/tmp'), db, clock: createManualClock(new Date('2026-09-15T09:00:00Z')), log: silentLogger, whatsapp, parseWebhook };
  receiver.app = createHttpApp(deps, { webhook: { appSecret: 'secret', verifyToken: null } });
  const drain = async () => {
    while ((await processWebhookEvents(deps)).webhooks > 0);
  };
  return { db, deps, simulator, drain };
}

describe.each(testBackends)('template lifecycle against the simulator on %s', (kind) => {
  it('goes submit → PENDING → APPROVED by webhook → sync agrees → quality YELLOW by webhook, with the history kept', async () => {
    const { db, deps, simulator, drain } = await setup(kind);
    const definition = starter('order_update.pt_BR.json');
    const submitted = await submitTemplate(deps, wabaId, definition);
    expect(submitted.template).toMatchObject({ status: 'PENDING', category: 'UTILITY', metaTemplateId: expect.any(String) as string });

    await simulator.advance(61_000);
    await drain();
    expect((await listStoredTemplates(db, { name: 'order_update' }))[0]).toMatchObject({ status: 'APPROVED' });

    const report = await syncTemplates(deps, wabaId);
    expect(report.changes, JSON.stringify(report.changes)).toEqual([]);
    expect((await listStoredTemplates(db, { name: 'order_update' }))[0]).toMatchObject({ status: 'APPROVED', definition });

    const metaId = submitted.template.metaTemplateId ?? '';
    expect((await simulator.app.request(`/_sim/templates/${metaId}/quality`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rating: 'YELLOW' }) })).status).toBe(200);
    await simulator.advance(5_000);
    await drain();
    expect((await listStoredTemplates(db, { name: 'order_update' }))[0]).toMatchObject({ status: 'APPROVED', qualityScore: 'YELLOW' });
    const history = await db.query<{ kind: string }>('select kind from template_events order by id');
    expect(history.map((entry) => entry.kind)).toEqual(['status', 'quality']);
  });

  it('reports what changed when Meta and the local copy differ, and nothing on a second sync', async () => {
    const { deps, simulator } = await setup(kind);
    const submitted = await submitTemplate(deps, wabaId, starter('payment_due.en.json'));
    // The review happens while Greenlight hears nothing (no webhook processing): only a sync can tell.
    await simulator.advance(61_000);
    const first = await syncTemplates(deps, wabaId);
    expect(first.changes).toEqual([{ name: 'payment_due', language: 'en', field: 'status', from: 'PENDING', to: 'APPROVED' }]);
    expect((await syncTemplates(deps, wabaId)).changes).toEqual([]);
    expect(submitted.template.status).toBe('PENDING');
  });

  it('refuses to resubmit a variant Meta already has, and keeps the definition Meta has', async () => {
    const { deps, db } = await setup(kind);
    const original = starter('payment_due.en.json');
    await submitTemplate(deps, wabaId, original);
    const edited: TemplateDefinition = { ...original, body: { ...original.body, text: `${original.body.text} Edited.` } };
    await expect(submitTemplate(deps, wabaId, edited)).rejects.toMatchObject({ code: 'INVALID_STATE' });
    expect((await listStoredTemplates(db, { name: 'payment_due' }))[0]?.definition).toEqual(original);
  });

  it('refuses to submit a template Meta would reject, and submits nothing', async () => {
    const { deps, simulator } = await setup(kind);
    const broken: TemplateDefinition = { ...starter('order_update.en.json'), name: 'Order Update!' };
    await expect(submitTemplate(deps, wabaId, broken)).rejects.toMatchObject({ code: 'TEMPLATE_INVALID' });
    expect(simulator.templates.all()).toEqual([]);
  });
});
