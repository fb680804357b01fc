// Chaos on the embedded database: `greenlight serve` on a PGlite data directory, the only process that
// can send on it, SIGKILLed at random points mid-campaign and started again on the same files. PGlite
// must come back from its own write-ahead log, the new process must take up the dead one's claims at
// once (recoverEmbeddedClaims) without resending what may have left, and the simulator — served from
// this process, so it outlives every kill — keeps the log of what "Meta" received and retries the
// status webhooks the dead process could not take.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addSender } from '../../src/actions/add-sender.ts';
import { createCampaign } from '../../src/actions/create-campaign.ts';
import { launchCampaign } from '../../src/actions/launch-campaign.ts';
import { processWebhookEvents } from '../../src/actions/process-webhook-events.ts';
import { syncSender } from '../../src/actions/sync-sender.ts';
import { syncTemplates } from '../../src/actions/sync-templates.ts';
import { loadConfig } from '../../src/config.ts';
import type { WhatsAppDeps } from '../../src/deps.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { mulberry32 } from '../../src/lib/mulberry32.ts';
import { serveSimulator } from '../../src/simulator/serve-simulator.ts';
import { reconcileUnknownMessages } from '../../src/store/campaign-messages.ts';
import { mergeMessageStatuses } from '../../src/store/message-statuses.ts';
import { migrate } from '../../src/store/migrate.ts';
import { openPglite } from '../../src/store/pglite-db.ts';
import { createCloudClient } from '../../src/whatsapp/client.ts';
import { parseWebhook } from '../../src/whatsapp/webhook.ts';
import { campaignDocument, PHONE_ID, SALE_TEMPLATES, WABA_ID } from '../helpers/campaign-harness.ts';
import { sleep } from '../helpers/worker-harness.ts';
import { auditCampaign, expectAccountedFor, recordFigures } from './chaos-audit.ts';

const root = path.resolve(import.meta.dirname, '../..');
const RECIPIENTS = 2_000;
const KILLS = 3;
const API_TOKEN = 'chaos-pglite-api-token-0123456789';
const NO_GUARDS = { guards: { optOutRate: 1, failureRate: 1, blockSignalRate: 1 } };

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

const log = (started: number, message: string) => console.log(`pglite chaos +${((Date.now() - started) / 1000).toFixed(1)} s: ${message}`);

type Progress = { targeted: number; sent: number; pending: number; unknown: number };

describe('chaos: the embedded database killed with its process', () => {
  it('serve on PGlite SIGKILLed at random points and restarted on the same files: nobody gets a duplicate, nobody is lost, the campaign finishes', async () => {
    const started = Date.now();
    const dataDir = mkdtempSync(path.join(tmpdir(), 'greenlight-chaos-pglite-'));
    const port = await freePort();
    const serveUrl = `http://127.0.0.1:${port}`;
    const simulator = await serveSimulator({
      speed: 1, seed: 17, accessToken: 'tok', appSecret: 'secret', templates: SALE_TEMPLATES, messagingLimitTier: 'TIER_UNLIMITED', startAt: new Date(),
      phoneNumbers: [{ id: PHONE_ID, wabaId: WABA_ID, displayPhoneNumber: '15550783881', verifiedName: 'Chaos Test', throughputLevel: 'HIGH' }],
      population: { notOnWhatsAppShare: 0 }, pacing: { enabled: false }, webhookFaults: { duplicateRate: 0, reorderRate: 0 },
      // Meta retries a webhook the dead process did not take; quicker here than Meta's 10 s first retry.
      webhook: { url: `${serveUrl}/webhooks/whatsapp` }, webhookRetry: { firstRetryMs: 500, maxIntervalMs: 2_000 },
    });
    const children: ChildProcess[] = [];
    const received = () => simulator.simulator.sent({}).map((message) => ({ waId: message.waId, wamid: message.wamid }));
    try {
      // Set-up through the actions, then the directory is handed to the serve processes.
      let campaignId: number;
      {
        const db = await openPglite(dataDir);
        await migrate(db);
        const whatsapp = createCloudClient({ baseUrl: simulator.url, apiVersion: 'v25.0', accessToken: 'tok' });
        const deps: WhatsAppDeps = { config: loadConfig({}, root), db, clock: systemClock, log: silentLogger, whatsapp, parseWebhook };
        const { sender } = await addSender(deps, { phoneNumberId: PHONE_ID, wabaId: WABA_ID, throughputShare: 0.8 });
        await syncSender(deps, sender);
        await syncTemplates(deps, WABA_ID);
        await db.query(
          `insert into contacts (phone, name, language, country, time_zone, tags, created_at, updated_at)
           select '+49151' || (20000000 + i)::text, 'Person ' || i, 'en_US', 'DE', 'Europe/Berlin', array['pglitekill'], now(), now() from generate_series(1, $1::int) as i`,
          [RECIPIENTS],
        );
        await db.query(`insert into consent_events (contact_id, category, kind, occurred_at, recorded_at, source, proof) select id, 'marketing', 'opt_in', now() - interval '1 day', now(), 'chaos test', 'yes' from contacts`);
        simulator.simulator.controls.optIn((await db.query<{ phone: string }>('select phone from contacts')).map((row) => row.phone));
        const { campaign } = await createCampaign(deps, campaignDocument({ audience: { tags: ['pglitekill'] }, ...NO_GUARDS }));
        await launchCampaign(deps, campaign.id);
        campaignId = campaign.id;
        log(started, `set up: ${RECIPIENTS} recipients, campaign ${campaignId} launched`);
        await whatsapp.close();
        await db.close();
      }

      const stderr: string[] = [];
      const spawnServe = (): ChildProcess => {
        const child = spawn(process.execPath, ['bin/greenlight.js', 'serve', '--port', String(port)], {
          cwd: root,
          env: { ...process.env, GREENLIGHT_DATA_DIR: dataDir, GREENLIGHT_DATABASE_URL: '', GREENLIGHT_API_TOKEN: API_TOKEN, WHATSAPP_ACCESS_TOKEN: 'tok', WHATSAPP_API_BASE_URL: simulator.url, WHATSAPP_APP_SECRET: 'secret', WHATSAPP_PHONE_NUMBER_ID: PHONE_ID, WHATSAPP_WABA_ID: WABA_ID, GREENLIGHT_LOG_LEVEL: 'warn' },
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
        children.push(child);
        return child;
      };
      const exitedEarly = (child: ChildProcess) => child.exitCode !== null && expect.fail(`serve exited (${child.exitCode}) on restart: ${stderr.join('').slice(-1_500)}`);
      const kill = async (child: ChildProcess) => {
        exitedEarly(child);
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      };
      const progress = async (): Promise<Progress> => {
        const response = await fetch(`${serveUrl}/api/campaigns/${campaignId}`, { headers: { authorization: `Bearer ${API_TOKEN}` }, signal: AbortSignal.timeout(10_000) });
        return ((await response.json()) as { progress: Progress }).progress;
      };

      // Each process is killed once Meta has received a random share of the audience in the next third
      // of it — whatever it is doing then: recovering the files, starting, claiming, sending, writing.
      const seed = Date.now() % 100_000;
      const random = mulberry32(seed);
      const kills: Array<{ atSent: number; afterMs: number }> = [];
      for (let round = 0; round < KILLS; round += 1) {
        const target = Math.floor(((round + 0.2 + 0.6 * random()) / (KILLS + 1)) * RECIPIENTS);
        const spawned = Date.now();
        const child = spawnServe();
        while (received().length < target && Date.now() - spawned < 90_000) {
          exitedEarly(child);
          await sleep(20);
        }
        await kill(child);
        kills.push({ atSent: received().length, afterMs: Date.now() - spawned });
        log(started, `killed serve ${child.pid} ${kills.at(-1)!.afterMs} ms after its start, with Meta at ${kills.at(-1)!.atSent} (target ${target})`);
      }
      expect(kills.map((k) => k.atSent).every((sent) => sent > 0 && sent < RECIPIENTS), `every kill landed mid-campaign (seed ${seed})`).toBe(true);

      // The last start finishes the campaign; then SIGTERM, the way an operator stops it.
      const last = spawnServe();
      const spawned = Date.now();
      let latest: Progress | null = null;
      while (!latest && Date.now() - spawned < 60_000) {
        exitedEarly(last);
        latest = await progress().catch(() => null);
        if (!latest) await sleep(200);
      }
      if (!latest) return expect.fail('serve did not answer within 60 s of its last restart');
      log(started, `serve ${last.pid} answered ${Date.now() - spawned} ms after its start`);
      for (let waited = 0; waited < 120_000 && latest.pending > 0; waited += 500) {
        await sleep(500);
        latest = await progress();
        if (waited % 10_000 === 0) log(started, `progress ${JSON.stringify(latest)}`);
      }
      expect(latest.pending, `every recipient sent or accounted for after the restarts (seed ${seed}): ${JSON.stringify(latest)}`).toBe(0);
      // Sends whose answer died with a process are `unknown` until Meta's retried status webhooks reach
      // the new one (Meta retries for days; the simulator every 2 s here) and supervision reconciles them.
      for (let waited = 0; waited < 90_000 && latest.sent < received().length; waited += 500) {
        await sleep(500);
        latest = await progress();
      }
      log(started, `after the webhooks: ${JSON.stringify(latest)}; Meta received ${received().length}`);
      const stopped = new Promise((resolve) => last.once('exit', resolve));
      last.kill('SIGTERM');
      await stopped;
      expect(last.exitCode, `serve stopped cleanly: ${stderr.join('').slice(-1_500)}`).toBe(0);

      const db = await openPglite(dataDir);
      try {
        const deps = { config: loadConfig({}, root), db, clock: systemClock, log: silentLogger, parseWebhook };
        while ((await processWebhookEvents(deps)).webhooks > 0);
        await mergeMessageStatuses(db, await reconcileUnknownMessages(db, new Date()), new Date());
        const audit = await auditCampaign(deps, campaignId, received());
        expectAccountedFor(audit, RECIPIENTS);
        expect(audit.unknownButReceived, `an unknown send is one Meta never received (seed ${seed})`).toBe(0);
        expect(stderr.join(''), 'each restart took up the dead process\'s claims at once').toContain('serve.recovered_claims');
        recordFigures({ scenario: '7b. serve on PGlite SIGKILLed at random points', engine: 'pglite', faults: `${kills.length} SIGKILLs of serve, ${kills.map((k) => `${k.afterMs} ms`).join(', ')} after each start (seed ${seed}; Meta had received ${kills.map((k) => k.atSent).join(', ')})`, recipients: RECIPIENTS, received: audit.received, sent: audit.counts.sent, unknown: audit.counts.unknown, duplicates: audit.duplicates, lost: audit.lost, durationMs: Date.now() - started });
      } finally {
        await db.close();
      }
    } finally {
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await simulator.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 300_000);
});
