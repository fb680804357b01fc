// The senders API on every engine: each sender's health, the portfolio's messaging limit and how much of
// it Greenlight counted, the pace the dispatcher keeps and the last hour of sends; a sync from Meta.
// Every route refuses a missing token (401), names the bad field (400) and answers 404 for an unknown id.

import { describe, expect, it } from 'vitest';
import { createCampaign } from '../../src/actions/create-campaign.ts';
import { launchCampaign } from '../../src/actions/launch-campaign.ts';
import { createApiHarness } from '../helpers/api-harness.ts';
import { campaignDocument, MIXED_AUDIENCE, PHONE_ID, WABA_ID } from '../helpers/campaign-harness.ts';
import { testBackends } from '../helpers/test-backends.ts';

describe.each(testBackends)('senders API on %s', (kind) => {
  describe('GET /api/senders', () => {
    it('lists each sender with its health, messaging limit and the pace Greenlight sends at (80 mps × its 0.8 share)', async () => {
      const h = await createApiHarness(kind);
      const answer = await h.call('GET', '/api/senders');
      expect(answer.status).toBe(200);
      expect(answer.body.items).toHaveLength(1);
      const sender = answer.body.items[0];
      expect(sender).toMatchObject({
        id: (await h.senderRow()).id, phoneNumberId: PHONE_ID, wabaId: WABA_ID, displayPhoneNumber: expect.any(String), verifiedName: 'Greenlight Demo',
        qualityRating: 'GREEN', canSendMessage: 'AVAILABLE',
        messagingLimit: { usedLast24h: 0, share: 0 },
        throughput: { mps: 64, sentLastMinute: 0 },
      });
      expect(sender.messagingLimit.limit === null || sender.messagingLimit.limit > 0).toBe(true);
      expect(sender.throughput.perMinute).toHaveLength(60);
      expect(sender.throughput.perMinute.every((minute: { sent: number }) => minute.sent === 0)).toBe(true);
      const minutes = sender.throughput.perMinute.map((minute: { at: string }) => Date.parse(minute.at));
      expect(minutes[59] - minutes[0]).toBe(59 * 60_000);
      expect(minutes[59]).toBeLessThanOrEqual(h.simulator.clock.now().getTime());
    });

    it('counts a campaign\'s sends per minute and the contacts it reached outside a service window in 24 h', async () => {
      const h = await createApiHarness(kind);
      await h.addPeople(MIXED_AUDIENCE);
      const { campaign } = await createCampaign(h.deps, campaignDocument());
      await launchCampaign(h.deps, campaign.id);
      await h.runFor(20_000);
      const sent = h.simulator.sent({}).length;
      expect(sent).toBe(5);
      const sender = (await h.call('GET', '/api/senders')).body.items[0];
      expect(sender.throughput.perMinute.reduce((sum: number, minute: { sent: number }) => sum + minute.sent, 0)).toBe(sent);
      expect(sender.throughput.sentLastMinute).toBe(sent);
      expect(sender.messagingLimit.usedLast24h).toBe(sent);
      expect(sender.messagingLimit.share).toBeCloseTo(sender.messagingLimit.limit === null ? 0 : sent / sender.messagingLimit.limit);
      // A minute later the sends leave the last minute but stay in the hour.
      await h.simulator.advance(61_000);
      const later = (await h.call('GET', '/api/senders')).body.items[0];
      expect(later.throughput.sentLastMinute).toBe(0);
      expect(later.throughput.perMinute.reduce((sum: number, minute: { sent: number }) => sum + minute.sent, 0)).toBe(sent);
    });

    it('answers 401 without a token or with a wrong one', async () => {
      const h = await createApiHarness(kind);
      expect((await h.call('GET', '/api/senders', { token: null })).status).toBe(401);
      expect((await h.call('GET', '/api/senders', { token: 'glt_wrong' })).body.error.code).toBe('UNAUTHORIZED');
    });
  });

  describe('GET /api/senders/:id', () => {
    it('shows one sender as the list does', async () => {
      const h = await createApiHarness(kind);
      const { id } = await h.senderRow();
      const one = await h.call('GET', `/api/senders/${id}`);
      expect(one.status).toBe(200);
      expect(one.body).toEqual((await h.call('GET', '/api/senders')).body.items[0]);
    });

    it('answers 404 for an unknown id, 400 naming `id` for a non-number, and 401 without a token', async () => {
      const h = await createApiHarness(kind);
      const missing = await h.call('GET', '/api/senders/999');
      expect(missing.status).toBe(404);
      expect(missing.body.error.code).toBe('NOT_FOUND');
      const bad = await h.call('GET', '/api/senders/first');
      expect(bad.status).toBe(400);
      expect(bad.body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'id' });
      expect((await h.call('GET', `/api/senders/${(await h.senderRow()).id}`, { token: null })).status).toBe(401);
    });
  });

  describe('POST /api/senders/:id/sync', () => {
    it('reads the sender\'s health from Meta again and answers it as now stored', async () => {
      const h = await createApiHarness(kind);
      const { id } = await h.senderRow();
      expect(h.simulator.controls.setSenderQuality(PHONE_ID, 'YELLOW')).toEqual({ ok: true });
      const synced = await h.call('POST', `/api/senders/${id}/sync`);
      expect(synced.status).toBe(200);
      expect(synced.body.qualityRating).toBe('YELLOW');
      expect((await h.senderRow()).qualityRating).toBe('YELLOW');
    });

    it('answers 404 for an unknown id, 400 naming `id` for a non-number, and 401 without a token, calling Meta for none', async () => {
      const h = await createApiHarness(kind);
      h.simulator.controls.setSenderQuality(PHONE_ID, 'RED');
      expect((await h.call('POST', '/api/senders/999/sync')).status).toBe(404);
      expect((await h.call('POST', '/api/senders/0/sync')).body.error.field).toBe('id');
      expect((await h.call('POST', `/api/senders/${(await h.senderRow()).id}/sync`, { token: null })).status).toBe(401);
      expect((await h.senderRow()).qualityRating).toBe('GREEN');
    });
  });
});
