// Greenlight's real Cloud client and webhook receiver against the built-in simulator, in process:
// the same code that talks to Meta, with webhooks signed by the simulator and verified by the
// receiver, on every database engine.
import { describe, expect, it } from 'vitest';
import { addSender } from '../../src/actions/add-sender.ts';
import { processWebhookEvents } from '../../src/actions/process-webhook-events.ts';
import { syncSender } from '../../src/actions/sync-sender.ts';
import { uploadMedia } from '../../src/actions/upload-media.ts';
import { loadConfig } from '../../src/config.ts';
import type { WhatsAppDeps } from '../../src/deps.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { createSimulator } from '../../src/simulator/create-simulator.ts';
import { listSenderHealthHistory } from '../../src/store/senders.ts';
import { createCloudClient } from '../../src/whatsapp/client.ts';
import { parseWebhook } from '../../src/whatsapp/webhook.ts';
import { createTestDb } from '../helpers/test-db.ts';
import { testBackends } from '../helpers/test-backends.ts';

const phoneNumberId = '106540352242922';
const wabaId = '102290129340398';
const appSecret = 'simulator-test-secret';
const accessToken = 'simulator-test-token';

async function setup(kind: Parameters<typeof createTestDb>[0]) {
  const db = await createTestDb(kind);
  const receiver = { app: null as ReturnType<typeof createHttpApp> | null };
  const simulator = createSimulator({
    seed: 7,
    startAt: new Date('2026-09-15T09:00:00Z'),
    accessToken,
    appSecret,
    population: { notOnWhatsAppShare: 0, optedIn: ['+5511912345678'] },
    templates: [{ name: 'order_update', language: 'en_US', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hi {{1}}, your order {{2}} has shipped.' }] }],
    webhookFaults: { duplicateRate: 0.2, reorderRate: 0.2, aggregateRate: 0.3 },
    // Webhooks go through Greenlight's real HTTP route: signature check on the raw bytes, storage.
    webhook: { deliver: async (request) => ({ status: (await receiver.app!.request('/webhooks/whatsapp', { method: 'POST', headers: request.headers, body: request.body })).status }) },
  });
  const whatsapp = createCloudClient({ baseUrl: 'http://simulator.invalid', apiVersion: 'v25.0', accessToken, fetch: simulator.fetch });
  const deps: WhatsAppDeps = { config: loadConfig({}, '/tmp'), db, clock: systemClock, log: silentLogger, whatsapp, parseWebhook };
  receiver.app = createHttpApp(deps, { webhook: { appSecret, verifyToken: null } });
  return { db, deps, simulator, whatsapp };
}

describe.each(testBackends)('Cloud API client and webhooks against the simulator on %s', (kind) => {
  it('syncs a sender’s quality, throughput, messaging limit and health, and keeps the history', async () => {
    const { deps, db } = await setup(kind);
    const { sender } = await addSender(deps, { phoneNumberId, wabaId });
    const synced = await syncSender(deps, sender);
    expect(synced).toMatchObject({ qualityRating: 'GREEN', throughputLevel: 'STANDARD', messagingLimitTier: 'TIER_2K', canSendMessage: 'AVAILABLE', displayPhoneNumber: '15550783881' });
    await syncSender(deps, synced);
    expect(await listSenderHealthHistory(db, sender.id, 10)).toHaveLength(2);
    expect(await db.query('select messaging_limit_tier, messaging_limit_users from waba_states')).toEqual([{ messaging_limit_tier: 'TIER_2K', messaging_limit_users: 2000 }]);
  });

  it('sends a template, then merges the simulator’s duplicated and reordered status webhooks into one message at "read"', async () => {
    const { deps, db, simulator, whatsapp } = await setup(kind);
    const result = await whatsapp.sendMessage(phoneNumberId, { to: '+5511912345678', type: 'template', template: { name: 'order_update', languageCode: 'en_US', body: [{ type: 'text', text: 'Ana' }, { type: 'text', text: 'A-1001' }], buttons: [] } });
    expect(result).toMatchObject({ ok: true, messageStatus: 'accepted' });
    if (!result.ok) return;
    await db.query("insert into messages (wamid, status, created_at, updated_at) values ($1, 'accepted', now(), now())", [result.wamid]);
    // Simulated people read within 12 simulated hours; every webhook is retried until acknowledged.
    await simulator.advance(24 * 3_600_000);
    let outcome = await processWebhookEvents(deps);
    while (outcome.webhooks > 0) outcome = await processWebhookEvents(deps);
    expect(await db.query('select status from messages where wamid = $1', [result.wamid])).toEqual([{ status: 'read' }]);
    expect(await db.query('select status from message_status_events where wamid = $1 order by message_status_rank(status)', [result.wamid])).toEqual([{ status: 'sent' }, { status: 'delivered' }, { status: 'read' }]);
    expect(await db.query("select count(*) as count from webhook_events where events_unhandled > 0 or processed_at is null")).toEqual([{ count: 0 }]);
  });

  it('reports Meta’s error for a send outside the rules, without throwing: a parameter count mismatch is 132000', async () => {
    const { whatsapp } = await setup(kind);
    const result = await whatsapp.sendMessage(phoneNumberId, { to: '+5511912345678', type: 'template', template: { name: 'order_update', languageCode: 'en_US', body: [{ type: 'text', text: 'Ana' }], buttons: [] } });
    expect(result).toMatchObject({ ok: false, networkFailure: false, error: { code: 132000 } });
  });

  it('uploads a media file once per sender and reuses its id for the same bytes', async () => {
    const { deps, db } = await setup(kind);
    const file = { bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]), mimeType: 'image/png', fileName: 'banner.png' };
    const first = await uploadMedia(deps, phoneNumberId, file);
    const second = await uploadMedia(deps, phoneNumberId, { ...file, fileName: 'same-bytes.png' });
    expect(first.reused).toBe(false);
    expect(second).toEqual({ mediaId: first.mediaId, reused: true });
    expect(await db.query('select file_name, bytes from media_uploads')).toEqual([{ file_name: 'banner.png', bytes: 7 }]);
  });
});
