// The campaign engine end to end against the simulator, on every engine: create → launch → dispatch
// with the real Cloud client, signed webhooks, the receiver and the processor. Each test states the
// guarantee it protects: who gets a message, who does not and why, and what pauses a campaign.
import { describe, expect, it } from 'vitest';
import { createCampaign } from '../../src/actions/create-campaign.ts';
import { resumeCampaign } from '../../src/actions/control-campaign.ts';
import { launchCampaign } from '../../src/actions/launch-campaign.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { findCampaign } from '../../src/store/campaigns.ts';
import { testBackends } from '../helpers/test-backends.ts';
import { campaignDocument, campaignMessages, createCampaignHarness, MIXED_AUDIENCE, opted, START } from '../helpers/campaign-harness.ts';


describe.each(testBackends)('campaign engine against the simulator on %s', (kind) => {
  it('sends exactly to the opted-in, reachable, non-US contacts and records every other recipient’s reason', async () => {
    const h = await createCampaignHarness(kind, { simulator: { population: { notOnWhatsAppShare: 0, undeliverablePattern: '^4915199999' } } });
    await h.addPeople([...MIXED_AUDIENCE, opted('+4915199999001', 'Una Undeliverable')]);
    // Ida wrote in an hour ago: her service window is open, so she gets the session text.
    h.simulator.controls.inbound({ from: '+4915112345006', text: 'Do you have gloves in size M?' });
    await h.simulator.advance(2_000);
    await h.drainWebhooks();
    await h.simulator.advance(60 * 60 * 1000);

    const { campaign } = await createCampaign(h.deps, campaignDocument({ session: { text: 'Hi! Our winter sale starts today: 20% off everything in store.' } }));
    const launched = await launchCampaign(h.deps, campaign.id);
    expect(launched.recipients).toBe(9);
    // Long enough for the campaign to settle (CAMPAIGN_SETTLE_MS after its last send) and complete.
    await h.runFor(200_000);

    const rows = await campaignMessages(h.db, campaign.id);
    const byPhone = new Map(rows.map((row) => [row.phone, row]));
    const sentPhones = h.simulator.sent({}).map((sent) => `+${sent.waId}`).sort();
    expect(sentPhones).toEqual(['+4915112345001', '+4915112345002', '+4915112345003', '+4915112345006', '+4915199999001', '+5511987654321'].sort());
    expect(byPhone.get('+4915112345004')).toMatchObject({ dispatch_state: 'skipped', reason: 'opted_out' });
    expect(byPhone.get('+4915112345005')).toMatchObject({ dispatch_state: 'skipped', reason: 'no_consent' });
    expect(byPhone.get('+12025550123')).toMatchObject({ dispatch_state: 'skipped', reason: 'us_marketing' });
    expect(byPhone.get('+5511987654321')).toMatchObject({ dispatch_state: 'sent', via: 'template', language: 'pt_BR' });
    expect(byPhone.get('+4915112345003')).toMatchObject({ dispatch_state: 'sent', via: 'template', language: 'en_US' });
    expect(byPhone.get('+4915112345006')).toMatchObject({ dispatch_state: 'sent', via: 'session' });
    // Undeliverable: Meta accepted and then failed it (131026); the contact is suppressed for next time.
    expect(byPhone.get('+4915199999001')?.status).toBe('failed');
    const suppressed = await h.db.query<{ reason: string }>(`select s.reason from suppressions s join contacts c on c.id = s.contact_id where c.phone = '+4915199999001'`);
    expect(suppressed.map((row) => row.reason)).toEqual(['undeliverable']);
    expect(rows.filter((row) => row.dispatch_state === 'sent').every((row) => row.wamid !== null)).toBe(true);
    expect((await findCampaign(h.db, campaign.id))?.state).toBe('completed');
  });

  it('honours an opt-out that arrives mid-campaign: that contact’s pending message is never sent', async () => {
    const h = await createCampaignHarness(kind);
    const people = Array.from({ length: 12 }, (_, index) => opted(`+49151123460${String(index).padStart(2, '0')}`, `Person ${index}`));
    await h.addPeople(people);
    const { campaign } = await createCampaign(h.deps, campaignDocument({ rate: { messagesPerSecond: 1 } }));
    await launchCampaign(h.deps, campaign.id);
    await h.runFor(3_000);
    const stopper = people[10]!.phone;
    expect(h.simulator.sent({}).map((sent) => `+${sent.waId}`)).not.toContain(stopper);
    h.simulator.controls.inbound({ from: stopper, text: 'STOP' });
    await h.simulator.advance(1_000);
    await h.drainWebhooks();
    await h.runFor(60_000);

    const rows = await campaignMessages(h.db, campaign.id);
    expect(rows.find((row) => row.phone === stopper)).toMatchObject({ dispatch_state: 'skipped', reason: 'opted_out' });
    expect(h.simulator.sent({}).map((sent) => `+${sent.waId}`)).not.toContain(stopper);
    expect(rows.filter((row) => row.dispatch_state === 'sent')).toHaveLength(11);
  });

  it('defers a contact in quiet hours to the next allowed local hour instead of skipping them', async () => {
    const h = await createCampaignHarness(kind);
    // 09:00 UTC is 01:00 in Los Angeles: inside 21:00–09:00 quiet hours; 10:00 in Berlin is not.
    await h.addPeople([opted('+4915112345101', 'Berlin Bea', { timeZone: 'Europe/Berlin' }), opted('+4915112345102', 'Traveller Tom', { timeZone: 'America/Los_Angeles' })]);
    const { campaign } = await createCampaign(h.deps, campaignDocument({ quietHours: { start: 21, end: 9 } }));
    await launchCampaign(h.deps, campaign.id);
    await h.runFor(10_000);
    let rows = await campaignMessages(h.db, campaign.id);
    expect(rows.find((row) => row.phone === '+4915112345101')?.dispatch_state).toBe('sent');
    const tom = rows.find((row) => row.phone === '+4915112345102');
    expect(tom).toMatchObject({ dispatch_state: 'deferred', reason: 'quiet_hours' });
    expect(tom?.due_at.toISOString()).toBe('2026-11-23T17:00:00.000Z');

    await h.runFor(9 * 60 * 60 * 1000, 10 * 60 * 1000);
    rows = await campaignMessages(h.db, campaign.id);
    const sentTom = rows.find((row) => row.phone === '+4915112345102');
    expect(sentTom?.dispatch_state).toBe('sent');
    expect(sentTom!.sent_at!.getTime()).toBeGreaterThanOrEqual(Date.parse('2026-11-23T17:00:00Z'));
    expect((await findCampaign(h.db, campaign.id))?.state).toBe('completed');
  });

  it('spreads a campaign larger than the portfolio’s messaging limit over simulated days, never over the limit', async () => {
    const h = await createCampaignHarness(kind, { simulator: { messagingLimitTier: 'TIER_250' } });
    const people = Array.from({ length: 300 }, (_, index) => opted(`+4915112${String(300000 + index)}`, `Person ${index}`));
    await h.addPeople(people);
    const { campaign } = await createCampaign(h.deps, campaignDocument());
    await launchCampaign(h.deps, campaign.id);
    await h.runFor(60 * 60 * 1000, 5 * 60 * 1000);
    let rows = await campaignMessages(h.db, campaign.id);
    // 250 × 0.9 safety margin: Greenlight keeps headroom for sends it cannot see (§1.5).
    expect(rows.filter((row) => row.dispatch_state === 'sent')).toHaveLength(225);
    expect(rows.filter((row) => row.dispatch_state === 'deferred' && row.reason === 'messaging_limit')).toHaveLength(75);
    expect((await findCampaign(h.db, campaign.id))?.state).toBe('running');

    await h.runFor(24 * 60 * 60 * 1000, 30 * 60 * 1000);
    rows = await campaignMessages(h.db, campaign.id);
    expect(rows.filter((row) => row.dispatch_state === 'sent')).toHaveLength(300);
    const firstDay = START.getTime() + 24 * 60 * 60 * 1000;
    expect(rows.filter((row) => row.sent_at!.getTime() >= firstDay)).toHaveLength(75);
    expect(h.simulator.sent({}).filter((sent) => sent.errorCode !== null).map((sent) => `${sent.errorCode} ${sent.waId} ${new Date(sent.acceptedAtMs).toISOString()}`)).toEqual([]);
    expect((await findCampaign(h.db, campaign.id))?.state).toBe('completed');
  });

  it('pauses the campaign with a readable reason when Meta pauses its template mid-campaign', async () => {
    const h = await createCampaignHarness(kind);
    const people = Array.from({ length: 30 }, (_, index) => opted(`+49151123470${String(index).padStart(2, '0')}`, `Person ${index}`));
    await h.addPeople(people);
    const { campaign } = await createCampaign(h.deps, campaignDocument({ rate: { messagesPerSecond: 2 } }));
    await launchCampaign(h.deps, campaign.id);
    await h.runFor(4_000);
    const [template] = await h.db.query<{ meta_template_id: string }>(`select meta_template_id from templates where name = 'winter_sale' and language = 'en_US'`);
    expect(h.simulator.controls.pauseTemplate(template!.meta_template_id)).toEqual({ ok: true });
    await h.runFor(20_000);

    const paused = await findCampaign(h.db, campaign.id);
    expect(paused).toMatchObject({ state: 'paused', pauseReason: 'breaker' });
    // Whichever Meta says first: the status webhook (PAUSED) or a send refused with 132015.
    expect(paused?.pauseDetail).toMatch(/template/i);
    expect(paused?.pauseDetail).toMatch(/paused|132015/i);
    expect(paused?.pauseAction).toMatch(/greenlight campaigns resume/);
    const rows = await campaignMessages(h.db, campaign.id);
    const sent = rows.filter((row) => row.dispatch_state === 'sent').length;
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBeLessThan(30);
    expect(rows.filter((row) => row.dispatch_state === 'planned' || row.dispatch_state === 'deferred').length).toBe(30 - sent - rows.filter((row) => row.dispatch_state === 'skipped').length);
  });

  it('paced at the sender’s full 80 mps, sends 400 messages in 5 simulated seconds without a single 130429', async () => {
    const h = await createCampaignHarness(kind, { throughputShare: 1 });
    const people = Array.from({ length: 400 }, (_, index) => opted(`+4915113${String(400000 + index)}`, `Person ${index}`));
    await h.addPeople(people);
    const { campaign } = await createCampaign(h.deps, campaignDocument());
    await launchCampaign(h.deps, campaign.id);
    const started = h.simulator.clock.now().getTime();
    await h.runFor(30_000, 100);
    const sent = h.simulator.sent({});
    expect(sent).toHaveLength(400);
    expect(sent.filter((message) => message.errorCode !== null)).toEqual([]);
    const rows = await campaignMessages(h.db, campaign.id);
    expect(rows.every((row) => row.dispatch_state === 'sent')).toBe(true);
    const [pacing] = await h.db.query<{ throttle_hits: number }>('select throttle_hits from sender_pacing');
    expect(pacing?.throttle_hits).toBe(0);
    const spanMs = Math.max(...sent.map((message) => message.acceptedAtMs)) - started;
    expect(spanMs).toBeGreaterThanOrEqual(4_900);
    expect(spanMs).toBeLessThan(6_500);
  });

  it('gives each recipient a tracked link (URL button or {link} in the session text) whose click /r/{token} records and redirects', async () => {
    const h = await createCampaignHarness(kind);
    await h.addPeople([opted('+4915112345201', 'Button Bo'), opted('+4915112345202', 'Session Sue')]);
    h.simulator.controls.inbound({ from: '+4915112345202', text: 'Any winter deals?' });
    await h.simulator.advance(2_000);
    await h.drainWebhooks();
    const { campaign } = await createCampaign(h.deps, campaignDocument({
      template: 'winter_sale_link', link: { url: 'https://shop.example.com/winter', button: 0 }, session: { text: 'Yes! Our winter sale: {link}' },
    }));
    await launchCampaign(h.deps, campaign.id);
    await h.runFor(20_000);

    const sent = h.simulator.sent({});
    const bo = sent.find((message) => message.waId === '4915112345201')!;
    const sue = sent.find((message) => message.waId === '4915112345202')!;
    const boToken = JSON.stringify(bo.payload).match(/"text":"([0-9A-Za-z]{12})"/)?.[1];
    const sueUrl = /https:\/\/go\.example\.com\/r\/([0-9A-Za-z]{12})/.exec(sue.text);
    expect(boToken).toBeDefined();
    expect(sueUrl).not.toBeNull();
    expect(boToken).not.toBe(sueUrl![1]);
    const app = createHttpApp(h.deps, { webhook: { appSecret: 'secret', verifyToken: null } });
    const click = await app.request(`/r/${boToken}`, { headers: { 'user-agent': 'Mozilla/5.0 (iPhone)' } });
    expect(click.status).toBe(302);
    expect(click.headers.get('location')).toBe('https://shop.example.com/winter');
    const clicks = await h.db.query<{ phone: string }>('select c.phone from clicks k join click_links l on l.token = k.token join messages m on m.id = l.message_id join contacts c on c.id = m.contact_id');
    expect(clicks).toEqual([{ phone: '+4915112345201' }]);
  });

  it('sends again, not before 24 h, a message Meta failed with 131049 (its per-user marketing cap)', async () => {
    const h = await createCampaignHarness(kind);
    await h.addPeople([opted('+4915112345301', 'Capped Cara')]);
    h.simulator.controls.failNextSends({ count: 1, code: 131049, surface: 'async' });
    const { campaign } = await createCampaign(h.deps, campaignDocument());
    await launchCampaign(h.deps, campaign.id);
    await h.runFor(60_000);
    const [waiting] = await campaignMessages(h.db, campaign.id);
    expect(waiting).toMatchObject({ dispatch_state: 'deferred', reason: 'marketing_cap', wamid: null });
    expect(waiting!.due_at.getTime()).toBeGreaterThanOrEqual(START.getTime() + 24 * 60 * 60 * 1000);
    expect((await findCampaign(h.db, campaign.id))?.state).toBe('running');

    await h.runFor(25 * 60 * 60 * 1000, 30 * 60 * 1000);
    const [sent] = await campaignMessages(h.db, campaign.id);
    expect(sent?.dispatch_state).toBe('sent');
    const attempts = h.simulator.sent({}).filter((message) => message.waId === '4915112345301');
    expect(attempts.map((message) => message.errorCode)).toEqual([131049, null]);
    expect(attempts[1]!.acceptedAtMs - attempts[0]!.acceptedAtMs).toBeGreaterThanOrEqual(24 * 60 * 60 * 1000);
  });

  it('sends a canary wave first, holds it, then sends the rest; a canary with opt-outs over the threshold pauses the campaign instead', async () => {
    const good = await createCampaignHarness(kind);
    await good.addPeople(Array.from({ length: 30 }, (_, index) => opted(`+49151123480${String(index).padStart(2, '0')}`, `Person ${index}`)));
    const { campaign } = await createCampaign(good.deps, campaignDocument({ canary: { size: 5, holdMinutes: 30 } }));
    await launchCampaign(good.deps, campaign.id);
    await good.runFor(10 * 60 * 1000, 60_000);
    expect((await campaignMessages(good.db, campaign.id)).filter((row) => row.dispatch_state === 'sent')).toHaveLength(5);
    await good.runFor(30 * 60 * 1000, 60_000);
    expect((await campaignMessages(good.db, campaign.id)).filter((row) => row.dispatch_state === 'sent')).toHaveLength(30);
    expect((await findCampaign(good.db, campaign.id))?.canaryPassedAt).not.toBeNull();

    const bad = await createCampaignHarness(kind);
    const people = Array.from({ length: 30 }, (_, index) => opted(`+49151123481${String(index).padStart(2, '0')}`, `Person ${index}`));
    await bad.addPeople(people);
    const second = await createCampaign(bad.deps, campaignDocument({ canary: { size: 5, holdMinutes: 30 } }));
    await launchCampaign(bad.deps, second.campaign.id);
    await bad.runFor(60_000);
    const canary = (await campaignMessages(bad.db, second.campaign.id)).filter((row) => row.dispatch_state === 'sent');
    for (const row of canary.slice(0, 2)) bad.simulator.controls.inbound({ from: row.phone, text: 'STOP' });
    await bad.runFor(40 * 60 * 1000, 60_000);
    const paused = await findCampaign(bad.db, second.campaign.id);
    expect(paused).toMatchObject({ state: 'paused', pauseReason: 'canary' });
    expect(paused?.pauseDetail).toMatch(/canary stopped: 2 of 5 .*opted out/);
    expect((await campaignMessages(bad.db, second.campaign.id)).filter((row) => row.dispatch_state === 'sent')).toHaveLength(5);
  });

  it('pauses on its budget before spending more, and resumes with a larger one', async () => {
    const h = await createCampaignHarness(kind);
    await h.addPeople(Array.from({ length: 6 }, (_, index) => opted(`+4915112349${String(100 + index)}`, `Person ${index}`)));
    // Germany's marketing rate is 0.1365 USD (data/rate-card.csv): 0.5 USD pays for 3 messages.
    const { campaign } = await createCampaign(h.deps, campaignDocument({ budget: { usd: 0.5 } }));
    await launchCampaign(h.deps, campaign.id);
    await h.runFor(30_000);
    const paused = await findCampaign(h.db, campaign.id);
    expect(paused).toMatchObject({ state: 'paused', pauseReason: 'budget' });
    expect(paused?.pauseAction).toMatch(/--budget-usd/);
    expect(h.simulator.sent({})).toHaveLength(3);
    await resumeCampaign(h.deps, campaign.id, { budgetUsd: 1 });
    await h.runFor(200_000, 10_000);
    expect(h.simulator.sent({})).toHaveLength(6);
    expect((await findCampaign(h.db, campaign.id))?.state).toBe('completed');
  });

  it('backs the whole sender off on 130429 and sends every message once the throttling stops', async () => {
    const h = await createCampaignHarness(kind);
    await h.addPeople(Array.from({ length: 20 }, (_, index) => opted(`+4915112349${String(200 + index)}`, `Person ${index}`)));
    h.simulator.controls.throttle({ durationMs: 3_000 });
    const { campaign } = await createCampaign(h.deps, campaignDocument());
    await launchCampaign(h.deps, campaign.id);
    await h.runFor(120_000, 1_000);
    const rows = await campaignMessages(h.db, campaign.id);
    expect(rows.every((row) => row.dispatch_state === 'sent')).toBe(true);
    const [pacing] = await h.db.query<{ throttle_hits: number }>('select throttle_hits from sender_pacing');
    expect(pacing!.throttle_hits).toBeGreaterThan(0);
    const accepted = h.simulator.sent({}).filter((message) => message.errorCode === null);
    expect(new Set(accepted.map((message) => message.waId)).size).toBe(20);
    expect(accepted).toHaveLength(20);
  });
});
