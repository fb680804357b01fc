// The campaign estimate on every engine: it runs the dispatcher's own decision over the audience as it
// is now, so its counts, costs and days are what a launch would do; and it writes nothing.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createCampaign } from '../../src/actions/create-campaign.ts';
import { estimateCampaign, type CampaignEstimate } from '../../src/actions/estimate-campaign.ts';
import { launchCampaign } from '../../src/actions/launch-campaign.ts';
import { loadDefaultRateCard } from '../../src/domain/rate-card.ts';
import { findCampaign } from '../../src/store/campaigns.ts';
import type { Db } from '../../src/store/db.ts';
import { testBackends } from '../helpers/test-backends.ts';
import { campaignDocument, campaignMessages, createCampaignHarness, MIXED_AUDIENCE, opted, START, type Harness, type Person } from '../helpers/campaign-harness.ts';

const rateCard = loadDefaultRateCard();
const SESSION = { text: 'Hi! Our winter sale starts today: 20% off everything in store.' };

/** The shipped card's USD rate for a country and category on the test's day, read from the CSV files themselves. */
function csvRate(country: string, category: string): number {
  const rows = (file: string) => readFileSync(new URL(`../../data/${file}`, import.meta.url), 'utf8').split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#')).map((line) => line.split(','));
  const market = rows('rate-card-markets.csv').find((row) => row[0] === country)?.[2];
  const inForce = rows('rate-card.csv').filter((row) => row[0] === market && row[1] === category && Date.parse(`${row[3]}T00:00:00Z`) <= START.getTime());
  return Number(inForce.sort((a, b) => (a[3] ?? '').localeCompare(b[3] ?? '')).at(-1)?.[2]);
}

/** Opted-in DE and BR contacts, one who speaks French, one opted out, one who never consented, a US number, and one inside her service window. */
async function addMixedAudience(h: Harness, extra: Person[] = []): Promise<void> {
  await h.addPeople([...MIXED_AUDIENCE, ...extra]);
  h.simulator.controls.inbound({ from: '+4915112345006', text: 'Do you have gloves in size M?' });
  await h.simulator.advance(2_000);
  await h.drainWebhooks();
  await h.simulator.advance(60 * 60 * 1000);
}

/** What the dispatcher did, in the estimate's terms. */
async function outcomes(db: Db, campaignId: number) {
  const rows = await campaignMessages(db, campaignId);
  const byReason = (state: string) => {
    const counts: Record<string, number> = {};
    for (const row of rows.filter((candidate) => candidate.dispatch_state === state)) counts[row.reason ?? ''] = (counts[row.reason ?? ''] ?? 0) + 1;
    return counts;
  };
  const sent = rows.filter((row) => row.dispatch_state === 'sent');
  return { send: { total: sent.length, template: sent.filter((row) => row.via === 'template').length, session: sent.filter((row) => row.via === 'session').length }, skipped: byReason('skipped'), deferred: byReason('deferred') };
}

const sameDecisions = (estimate: CampaignEstimate) => ({ send: estimate.send, skipped: estimate.skipped, deferred: estimate.deferred });

describe.each(testBackends)('campaign estimate on %s', (kind) => {
  it('counts each recipient as the send decision does: skips by reason, session inside the window, template outside', async () => {
    const h = await createCampaignHarness(kind);
    await addMixedAudience(h);
    const { campaign } = await createCampaign(h.deps, campaignDocument({ session: SESSION }));
    const estimate = await estimateCampaign(h.deps, campaign.id, { rateCard });
    expect(estimate).toMatchObject({
      campaignId: campaign.id,
      recipients: 8,
      send: { total: 5, template: 4, session: 1 },
      skipped: { opted_out: 1, no_consent: 1, us_marketing: 1 },
      deferred: {},
    });
    expect(estimate.evaluatedAt).toEqual(h.simulator.clock.now());
    expect(estimate.duration.summary).toMatch(/^8 recipients: 5 would get the message; 3 skipped \(1 opted out, 1 without consent on record, 1 on a US number/);
  });

  it('prices what would be sent with the rate card: DE and BR marketing templates, and the in-window session text at the DE utility rate (charged from 2026-10-01)', async () => {
    const h = await createCampaignHarness(kind);
    await addMixedAudience(h);
    const { campaign } = await createCampaign(h.deps, campaignDocument({ session: SESSION }));
    const { cost } = await estimateCampaign(h.deps, campaign.id, { rateCard });
    const [de, br, deUtility] = [csvRate('DE', 'marketing'), csvRate('BR', 'marketing'), csvRate('DE', 'utility')];
    expect([de, br, deUtility].every((rate) => rate > 0)).toBe(true);
    expect(cost.lines.map(({ usd, ...line }) => ({ ...line, usd: usd.toFixed(6) }))).toEqual([
      { market: 'Brazil', category: 'marketing', messages: 1, usd: br.toFixed(6) },
      { market: 'Germany', category: 'marketing', messages: 3, usd: (3 * de).toFixed(6) },
      { market: 'Germany', category: 'utility', messages: 1, usd: deUtility.toFixed(6) },
    ]);
    expect(cost.usd).toBeCloseTo(3 * de + br + deUtility, 9);
    expect(cost).toMatchObject({ charged: 5, free: 0 });
  });

  it('spreads 300 recipients under TIER_250 over 2 days: 225 now (250 × 0.9), 75 deferred by the messaging limit', async () => {
    const h = await createCampaignHarness(kind, { simulator: { messagingLimitTier: 'TIER_250' } });
    await h.addPeople(Array.from({ length: 300 }, (_, index) => opted(`+4915112${String(300000 + index)}`, `Person ${index}`)));
    const { campaign } = await createCampaign(h.deps, campaignDocument());
    const progress: Array<[number, number]> = [];
    const estimate = await estimateCampaign(h.deps, campaign.id, { rateCard, pageSize: 100, onProgress: (done, total) => progress.push([done, total]) });
    expect(progress).toEqual([[100, 300], [200, 300], [300, 300]]);
    expect(estimate).toMatchObject({ recipients: 300, send: { total: 225, template: 225, session: 0 }, skipped: {}, deferred: { messaging_limit: 75 } });
    expect(estimate.duration).toMatchObject({ ratePerSecond: 64, messagingLimit: { usersPer24h: 250, budget: 225, alreadyReached: 0, counting: 300, days: 2 }, days: 2 });
    expect(estimate.duration.sendingSeconds).toBeCloseTo(300 / 64, 9);
    // The deferred 75 go on the next day and cost the same: all 300 are priced.
    expect(estimate.cost.lines).toMatchObject([{ market: 'Germany', category: 'marketing', messages: 300 }]);
    expect(estimate.cost.usd).toBeCloseTo(300 * csvRate('DE', 'marketing'), 9);
    expect(estimate.duration.summary).toContain('300 recipients: 300 would get the message (225 now, 75 on later days (messaging limit))');
    expect(estimate.duration.summary).toContain('Limit 250/24 h (Greenlight uses 225) after other campaigns (0 already reached), 300 of them counting → 2 days.');
    expect(estimate.duration.summary).toContain('Sending takes about 5 s at 64 msg/s.');
  });

  it('writes nothing: no message rows, no 24 h reach, no campaign event, and the campaign stays a draft', async () => {
    const h = await createCampaignHarness(kind, { simulator: { messagingLimitTier: 'TIER_250' } });
    await addMixedAudience(h);
    const { campaign } = await createCampaign(h.deps, campaignDocument({ session: SESSION }));
    const tables = ['messages', 'messaging_limit_reach', 'campaigns', 'campaign_events', 'suppressions', 'consent_events', 'contacts', 'service_windows'];
    const snapshot = async () => Promise.all(tables.map(async (table) => (await h.db.query<{ count: number }>(`select count(*)::int as count from ${table}`))[0]?.count));
    const before = await snapshot();
    await estimateCampaign(h.deps, campaign.id, { rateCard, pageSize: 3 });
    expect(await snapshot()).toEqual(before);
    expect(await findCampaign(h.db, campaign.id)).toEqual(campaign);
    expect(campaign.state).toBe('draft');
  });

  it('agrees with a real launch and dispatch of the same campaign: same sends, skips and quiet-hours deferrals', async () => {
    const h = await createCampaignHarness(kind);
    // 09:00 UTC is 01:00 in Los Angeles: Tom waits for 21:00–09:00 quiet hours to end.
    await addMixedAudience(h, [opted('+4915112345102', 'Traveller Tom', { timeZone: 'America/Los_Angeles' })]);
    const { campaign } = await createCampaign(h.deps, campaignDocument({ session: SESSION, quietHours: { start: 21, end: 9 } }));
    const estimate = await estimateCampaign(h.deps, campaign.id, { rateCard });
    expect(estimate.deferred.quiet_hours).toBeGreaterThanOrEqual(1);
    expect(estimate.duration.summary).toMatch(/once their quiet hours end/);
    // Deferred messages go later, so they are priced and counted too.
    expect(estimate.cost.charged + estimate.cost.free).toBe(estimate.send.total + estimate.deferred.quiet_hours!);
    expect(estimate.duration.messagingLimit.counting).toBe(estimate.send.template + estimate.deferred.quiet_hours!);

    await launchCampaign(h.deps, campaign.id);
    await h.runFor(120_000);
    expect(await outcomes(h.db, campaign.id)).toEqual(sameDecisions(estimate));

    // Launched, the estimate still covers the whole audience as it is now: those just sent are already in the 24 h reach.
    const again = await estimateCampaign(h.deps, campaign.id, { rateCard });
    expect(again.recipients).toBe(estimate.recipients);
    expect(again.duration.messagingLimit).toMatchObject({ alreadyReached: estimate.send.template, counting: estimate.deferred.quiet_hours });
  });

  const abDocument = () => campaignDocument({ defaultLanguage: 'pt_BR', variants: [{ name: 'a', template: 'winter_sale' }, { name: 'b', template: 'winter_sale_b' }] });
  const addBrazilians = (h: Harness) => h.addPeople(Array.from({ length: 40 }, (_, index) => opted(`+55119876${String(54000 + index)}`, `Pessoa ${index}`, { language: 'pt_BR', country: 'BR' })));

  it('splits an A/B campaign between its variants: the one without a pt_BR template skips its share of pt_BR contacts', async () => {
    const h = await createCampaignHarness(kind);
    await addBrazilians(h);
    const { campaign } = await createCampaign(h.deps, abDocument());
    const estimate = await estimateCampaign(h.deps, campaign.id, { rateCard, pageSize: 7 });
    expect(estimate.send.total).toBeGreaterThan(0);
    expect(estimate.skipped.no_approved_template).toBeGreaterThan(0);
    expect(estimate.send.total + estimate.skipped.no_approved_template!).toBe(40);
    // The split depends only on (campaign, contact), not on paging.
    expect(await estimateCampaign(h.deps, campaign.id, { rateCard, pageSize: 1000 })).toMatchObject(sameDecisions(estimate));
  });

  it('splits an A/B campaign exactly as launch does: the same contacts get each variant', async () => {
    const h = await createCampaignHarness(kind);
    await addBrazilians(h);
    const { campaign } = await createCampaign(h.deps, abDocument());
    const estimate = await estimateCampaign(h.deps, campaign.id, { rateCard, pageSize: 7 });
    await launchCampaign(h.deps, campaign.id);
    const rows = await campaignMessages(h.db, campaign.id);
    expect(rows.filter((row) => row.variant === 'b')).toHaveLength(estimate.skipped.no_approved_template!);
    await h.runFor(30_000);
    expect(await outcomes(h.db, campaign.id)).toEqual(sameDecisions(estimate));
  });

  it('estimates a scheduled campaign for its start: a contact in quiet hours now but not then gets the message', async () => {
    const h = await createCampaignHarness(kind);
    await h.addPeople([opted('+4915112345102', 'Traveller Tom', { timeZone: 'America/Los_Angeles' })]);
    const startAt = '2026-11-23T18:00:00Z'; // 10:00 in Los Angeles
    const { campaign } = await createCampaign(h.deps, campaignDocument({ quietHours: { start: 21, end: 9 }, schedule: { startAt } }));
    const estimate = await estimateCampaign(h.deps, campaign.id, { rateCard });
    expect(estimate).toMatchObject({ send: { total: 1 }, deferred: {}, decidedAt: new Date(startAt) });
    expect(estimate.duration.summary).toMatch(/^Estimated for its start at 2026-11-23 18:00 UTC\./);
  });

  it('refuses an unknown campaign with NOT_FOUND', async () => {
    const h = await createCampaignHarness(kind);
    await expect(estimateCampaign(h.deps, 999_999, { rateCard })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
