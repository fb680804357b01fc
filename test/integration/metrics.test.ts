// GET /metrics on every engine, after real campaigns on the campaign harness: the figures Prometheus
// scrapes are the database's own (sends by outcome, queue depth, each sender's rate, webhook lag, breaker
// trips), the process metrics are there, and nothing in the answer identifies a person.
import { describe, expect, it } from 'vitest';
import { createCampaign } from '../../src/actions/create-campaign.ts';
import { launchCampaign } from '../../src/actions/launch-campaign.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { countMessagesByState } from '../../src/store/campaign-messages.ts';
import { findCampaign } from '../../src/store/campaigns.ts';
import { campaignDocument, createCampaignHarness, MIXED_AUDIENCE, opted, PHONE_ID, type Harness } from '../helpers/campaign-harness.ts';
import { testBackends } from '../helpers/test-backends.ts';

type Sample = { name: string; labels: Record<string, string>; value: number };

/** Prometheus's text format, the sample lines only. */
function parseSamples(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a sample line: ${line}`);
      const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((pair) => [pair[1]!, pair[2]!]));
      return { name: match[1]!, labels, value: Number(match[3]) };
    });
}

async function scrape(h: Harness) {
  const app = createHttpApp(h.deps, { webhook: { appSecret: 'secret', verifyToken: null } });
  const response = await app.request('/metrics');
  const text = await response.text();
  const samples = parseSamples(text);
  const value = (name: string, labels: Record<string, string> = {}) =>
    samples.find((sample) => sample.name === name && Object.entries(labels).every(([key, wanted]) => sample.labels[key] === wanted))?.value;
  const all = (name: string) => samples.filter((sample) => sample.name === name);
  return { response, text, value, all, app };
}

describe.each(testBackends)('GET /metrics on %s', (kind) => {
  it('reports sends by outcome equal to the database, the queue draining to 0 and the sender’s last-minute rate, without personal data', async () => {
    const h = await createCampaignHarness(kind);
    await h.addPeople(MIXED_AUDIENCE);
    const { campaign } = await createCampaign(h.deps, campaignDocument());
    const launched = await launchCampaign(h.deps, campaign.id);
    // One app, scraped three times: the snapshot is read again once simulated time moved past its 5 s.
    const app = createHttpApp(h.deps, { webhook: { appSecret: 'secret', verifyToken: null } });
    const read = async () => parseSamples(await (await app.request('/metrics')).text());

    const before = await read();
    expect(before.find((sample) => sample.name === 'greenlight_campaign_queue_depth' && sample.labels.campaign_id === String(campaign.id))?.value).toBe(launched.recipients);

    await h.runFor(10_000);
    const during = await read();
    const [recent] = await h.db.query<{ count: number }>(`select count(*)::int as count from messages where sent_at >= $1`, [new Date(h.simulator.clock.now().getTime() - 60_000)]);
    expect(recent!.count).toBeGreaterThan(0);
    expect(during.find((sample) => sample.name === 'greenlight_sender_sent_last_minute' && sample.labels.phone_number_id === PHONE_ID)?.value).toBe(recent!.count);

    await h.runFor(200_000, 10_000);
    expect((await findCampaign(h.db, campaign.id))?.state).toBe('completed');
    const after = await scrape(h);
    expect(after.response.status).toBe(200);
    expect(after.response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const counts = await countMessagesByState(h.db, campaign.id);
    for (const [state, count] of Object.entries(counts)) expect(after.value('greenlight_campaign_messages', { state }), state).toBe(count);
    expect(counts.sent).toBeGreaterThan(0);
    expect(counts.skipped).toBeGreaterThan(0);
    expect(after.all('greenlight_campaign_queue_depth').reduce((sum, sample) => sum + sample.value, 0)).toBe(0);
    expect(after.value('greenlight_campaigns', { state: 'completed' })).toBe(1);
    expect(after.value('greenlight_sender_sent_last_minute', { phone_number_id: PHONE_ID })).toBe(0);
    expect(after.value('greenlight_webhooks_pending')).toBe(0);
    expect(after.value('greenlight_webhook_oldest_pending_age_seconds')).toBe(0);
    expect(after.value('greenlight_webhook_recent_max_delay_seconds')).toBeGreaterThanOrEqual(0);
    expect(after.value('greenlight_database_up')).toBe(1);
    expect(after.value('greenlight_campaign_pauses_total', { reason: 'breaker' })).toBe(0);
    // prom-client's process metrics, and HELP text for every figure of ours.
    expect(after.value('process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(after.value('nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    const ours = new Set(after.text.split('\n').filter((line) => line.startsWith('# TYPE greenlight_')).map((line) => line.split(' ')[2]));
    for (const name of ours) expect(after.text, name).toMatch(new RegExp(`# HELP ${name} \\S`));
    expect(ours.size).toBeGreaterThanOrEqual(10);
    // No phone number, name or wa_id of anyone in the audience.
    for (const person of MIXED_AUDIENCE) {
      expect(after.text).not.toContain(person.phone.slice(1));
      expect(after.text).not.toContain(person.name);
    }
  });

  it('counts a breaker trip after a guard pauses the campaign, and leaves the paused campaign out of the queue', async () => {
    const h = await createCampaignHarness(kind);
    await h.addPeople(Array.from({ length: 30 }, (_, index) => opted(`+49151123470${String(index).padStart(2, '0')}`, `Person ${index}`)));
    const { campaign } = await createCampaign(h.deps, campaignDocument({ rate: { messagesPerSecond: 2 } }));
    await launchCampaign(h.deps, campaign.id);
    await h.runFor(4_000);
    const [template] = await h.db.query<{ meta_template_id: string }>(`select meta_template_id from templates where name = 'winter_sale' and language = 'en_US'`);
    expect(h.simulator.controls.pauseTemplate(template!.meta_template_id)).toEqual({ ok: true });
    await h.runFor(20_000);
    expect(await findCampaign(h.db, campaign.id)).toMatchObject({ state: 'paused', pauseReason: 'breaker' });

    const metrics = await scrape(h);
    expect(metrics.value('greenlight_campaign_pauses_total', { reason: 'breaker' })).toBe(1);
    expect(metrics.value('greenlight_campaign_pauses_total', { reason: 'manual' })).toBe(0);
    expect(metrics.value('greenlight_campaigns', { state: 'paused' })).toBe(1);
    expect(metrics.all('greenlight_campaign_queue_depth')).toEqual([]);
    const counts = await countMessagesByState(h.db, campaign.id);
    expect(metrics.value('greenlight_campaign_messages', { state: 'planned' })).toBe(counts.planned);
    expect(metrics.value('greenlight_campaign_messages', { state: 'sent' })).toBe(counts.sent);
  });
});
