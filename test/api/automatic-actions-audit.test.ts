// The audit log shows every launch, pause and resume, a person's or not, on every engine: a budget
// pause, a breaker pause (Meta pausing the template) and a canary stop are recorded with the actor
// `system`, the pause reason and its detail; a scheduled campaign starting is recorded as `system` too;
// and a person's resume after an automatic pause follows in the same log.

import { describe, expect, it } from 'vitest';
import { createApiHarness, type ApiHarness } from '../helpers/api-harness.ts';
import { campaignDocument, opted } from '../helpers/campaign-harness.ts';
import { testBackends } from '../helpers/test-backends.ts';

const SYSTEM = { type: 'system', tokenId: null, label: 'system' };

type AuditItem = { action: string; actor: { type: string; tokenId: number | null; label: string }; targetType: string; targetId: string; detail: Record<string, unknown> };

async function launch(h: ApiHarness, overrides: Record<string, unknown>): Promise<number> {
  const created = await h.call('POST', '/api/campaigns', { body: campaignDocument(overrides) });
  expect(created.status, created.text).toBe(201);
  const id = created.body.campaign.id as number;
  expect((await h.call('POST', `/api/campaigns/${id}/launch`)).status).toBe(200);
  return id;
}

const auditLog = async (h: ApiHarness) => (await h.call('GET', '/api/audit?limit=500')).body.items as AuditItem[];

const people = (count: number, prefix: string) => Array.from({ length: count }, (_, index) => opted(`${prefix}${String(index).padStart(2, '0')}`, `Person ${index}`));

describe.each(testBackends)('automatic campaign actions in the audit log on %s', (kind) => {
  it('records a budget pause as system with its reason, between the launch and the resume a person made', async () => {
    const h = await createApiHarness(kind);
    await h.addPeople(people(6, '+49151123491'));
    // Germany's marketing rate pays for 3 messages with 0.5 USD (test/integration/campaign-engine.test.ts).
    const id = await launch(h, { budget: { usd: 0.5 } });
    await h.runFor(30_000);
    expect((await h.call('GET', `/api/campaigns/${id}`)).body.campaign.state).toBe('paused');
    expect((await h.call('POST', `/api/campaigns/${id}/resume`, { body: { budgetUsd: 1 } })).status).toBe(200);

    const log = await auditLog(h);
    expect(log.map((item) => [item.action, item.actor.type, item.targetId])).toEqual([
      ['campaign.launch', 'api_token', String(id)],
      ['campaign.pause', 'system', String(id)],
      ['campaign.resume', 'api_token', String(id)],
    ]);
    expect(log[1]).toMatchObject({ actor: SYSTEM, targetType: 'campaign', detail: { reason: 'budget', detail: expect.stringMatching(/budget/i) } });
  });

  it('records a breaker pause (Meta paused the template mid-campaign) as system with reason breaker', async () => {
    const h = await createApiHarness(kind);
    await h.addPeople(people(30, '+49151123492'));
    const id = await launch(h, { rate: { messagesPerSecond: 2 } });
    await h.runFor(4_000);
    const [template] = await h.db.query<{ meta_template_id: string }>(`select meta_template_id from templates where name = 'winter_sale' and language = 'en_US'`);
    expect(h.simulator.controls.pauseTemplate(template!.meta_template_id)).toEqual({ ok: true });
    await h.runFor(20_000);

    const pauses = (await auditLog(h)).filter((item) => item.action === 'campaign.pause');
    expect(pauses).toEqual([expect.objectContaining({ actor: SYSTEM, targetId: String(id), detail: { reason: 'breaker', detail: expect.stringMatching(/template/i) } })]);
  });

  it('records a canary stop as system with reason canary', async () => {
    const h = await createApiHarness(kind);
    await h.addPeople(people(30, '+49151123493'));
    const id = await launch(h, { canary: { size: 5, holdMinutes: 30 } });
    await h.runFor(60_000);
    const sent = await h.db.query<{ phone: string }>("select c.phone from messages m join contacts c on c.id = m.contact_id where m.campaign_id = $1 and m.dispatch_state = 'sent' order by m.id", [id]);
    for (const row of sent.slice(0, 2)) h.simulator.controls.inbound({ from: row.phone, text: 'STOP' });
    await h.runFor(40 * 60 * 1000, 60_000);

    const log = await auditLog(h);
    expect(log.filter((item) => item.action === 'campaign.pause')).toEqual([
      expect.objectContaining({ actor: SYSTEM, targetId: String(id), detail: { reason: 'canary', detail: expect.stringMatching(/canary stopped/) } }),
    ]);
  });

  it('records a scheduled campaign starting at its time as system, after the person who launched it', async () => {
    const h = await createApiHarness(kind);
    await h.addPeople(people(3, '+49151123494'));
    const startAt = new Date(h.deps.clock.now().getTime() + 10 * 60_000).toISOString();
    const id = await launch(h, { schedule: { startAt } });
    expect((await h.call('GET', `/api/campaigns/${id}`)).body.campaign.state).toBe('scheduled');
    await h.runFor(11 * 60_000, 60_000);

    const log = await auditLog(h);
    expect(log.map((item) => [item.action, item.actor.type])).toEqual([['campaign.launch', 'api_token'], ['campaign.start', 'system']]);
    expect(log[1]).toMatchObject({ actor: SYSTEM, targetType: 'campaign', targetId: String(id), detail: { reason: 'schedule' } });
  });
});
