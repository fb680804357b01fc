// Set-up for tests that run the built `greenlight serve` as a real process on an embedded (PGlite) data
// directory against Meta's stand-in: the simulator served over HTTP from the test process, so it outlives
// every serve process and its sent log is the ground truth of what "Meta" received. The data (sender,
// templates, opted-in contacts, a launched campaign) is written through the actions first; then the
// directory is handed to serve (one process per directory). `close()` kills what is left and deletes it.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { addSender } from '../../src/actions/add-sender.ts';
import { createCampaign } from '../../src/actions/create-campaign.ts';
import { launchCampaign } from '../../src/actions/launch-campaign.ts';
import { syncSender } from '../../src/actions/sync-sender.ts';
import { syncTemplates } from '../../src/actions/sync-templates.ts';
import { loadConfig } from '../../src/config.ts';
import type { WhatsAppDeps } from '../../src/deps.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { serveSimulator } from '../../src/simulator/serve-simulator.ts';
import { migrate } from '../../src/store/migrate.ts';
import { openPglite, type PgliteDb } from '../../src/store/pglite-db.ts';
import { createCloudClient } from '../../src/whatsapp/client.ts';
import { parseWebhook } from '../../src/whatsapp/webhook.ts';
import { campaignDocument, PHONE_ID, SALE_TEMPLATES, WABA_ID } from './campaign-harness.ts';
import { sleep, stopChild } from './child-processes.ts';

const root = path.resolve(import.meta.dirname, '../..');
export { sleep };

export type CampaignProgress = { targeted: number; sent: number; pending: number; unknown: number; failed: number };

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

export async function createServeProcessHarness(options: { recipients: number; accessToken?: string; appSecret?: string; apiToken?: string; logLevel?: string; campaign?: Record<string, unknown> }) {
  const accessToken = options.accessToken ?? 'tok';
  const appSecret = options.appSecret ?? 'secret';
  const apiToken = options.apiToken ?? 'serve-process-api-token-0123456789';
  const dataDir = mkdtempSync(path.join(tmpdir(), 'greenlight-serve-process-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const simulator = await serveSimulator({
    speed: 1, seed: 17, accessToken, appSecret, templates: SALE_TEMPLATES, messagingLimitTier: 'TIER_UNLIMITED', startAt: new Date(),
    phoneNumbers: [{ id: PHONE_ID, wabaId: WABA_ID, displayPhoneNumber: '15550783881', verifiedName: 'Serve Process Test', throughputLevel: 'HIGH' }],
    population: { notOnWhatsAppShare: 0 }, pacing: { enabled: false }, webhookFaults: { duplicateRate: 0, reorderRate: 0 },
    // Meta retries a webhook a dead process did not take; quicker here than Meta's 10 s first retry.
    webhook: { url: `${url}/webhooks/whatsapp` }, webhookRetry: { firstRetryMs: 500, maxIntervalMs: 2_000 },
  });
  const children: ChildProcess[] = [];
  const output: string[] = [];
  const openData = () => openPglite(dataDir);

  let campaignId = 0;
  {
    const db = await openData();
    const whatsapp = createCloudClient({ baseUrl: simulator.url, apiVersion: 'v25.0', accessToken });
    try {
      await migrate(db);
      const deps: WhatsAppDeps = { config: loadConfig({}, root), db, clock: systemClock, log: silentLogger, whatsapp, parseWebhook };
      const { sender } = await addSender(deps, { phoneNumberId: PHONE_ID, wabaId: WABA_ID, throughputShare: 0.8 });
      await syncSender(deps, sender);
      await syncTemplates(deps, WABA_ID);
      await db.query(
        `insert into contacts (phone, name, language, country, time_zone, tags, created_at, updated_at)
         select '+49151' || (20000000 + i)::text, 'Person ' || i, 'en_US', 'DE', 'Europe/Berlin', array['served'], now(), now() from generate_series(1, $1::int) as i`,
        [options.recipients],
      );
      await db.query(`insert into consent_events (contact_id, category, kind, occurred_at, recorded_at, source, proof) select id, 'marketing', 'opt_in', now() - interval '1 day', now(), 'serve process test', 'yes' from contacts`);
      simulator.simulator.controls.optIn((await db.query<{ phone: string }>('select phone from contacts')).map((row) => row.phone));
      const { campaign } = await createCampaign(deps, campaignDocument({ audience: { tags: ['served'] }, ...options.campaign }));
      await launchCampaign(deps, campaign.id);
      campaignId = campaign.id;
    } finally {
      await whatsapp.close();
      await db.close();
    }
  }

  /** Starts `greenlight serve` on the directory (not waiting for it); stdout and stderr are kept in `output()`. */
  function spawnServe(): ChildProcess {
    const child = spawn(process.execPath, ['bin/greenlight.js', 'serve', '--port', String(port)], {
      cwd: root,
      env: { ...process.env, GREENLIGHT_DATA_DIR: dataDir, GREENLIGHT_DATABASE_URL: '', GREENLIGHT_API_TOKEN: apiToken, WHATSAPP_ACCESS_TOKEN: accessToken, WHATSAPP_API_BASE_URL: simulator.url, WHATSAPP_APP_SECRET: appSecret, WHATSAPP_PHONE_NUMBER_ID: PHONE_ID, WHATSAPP_WABA_ID: WABA_ID, GREENLIGHT_LOG_LEVEL: options.logLevel ?? 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    children.push(child);
    return child;
  }

  /** GET or POST on serve's REST API with the token; throws on a network error or timeout. */
  async function api(method: 'GET' | 'POST', apiPath: string, body?: unknown): Promise<Response> {
    return fetch(`${url}${apiPath}`, { method, headers: { authorization: `Bearer ${apiToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
  }

  async function progress(): Promise<CampaignProgress> {
    return ((await (await api('GET', `/api/campaigns/${campaignId}`)).json()) as { progress: CampaignProgress }).progress;
  }

  /** Waits until serve answers the API (after a crash, PGlite replays its log first); fails if it exits. */
  async function answering(child: ChildProcess, timeoutMs = 60_000): Promise<CampaignProgress> {
    const spawned = Date.now();
    while (Date.now() - spawned < timeoutMs) {
      if (child.exitCode !== null) throw new Error(`serve exited (${child.exitCode}): ${output.join('').slice(-1_500)}`);
      const latest = await progress().catch(() => null);
      if (latest) return latest;
      await sleep(200);
    }
    throw new Error(`serve did not answer within ${timeoutMs} ms`);
  }

  async function close(): Promise<void> {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await simulator.close();
    rmSync(dataDir, { recursive: true, force: true });
  }

  return {
    simulator: simulator.simulator, campaignId, apiToken, url,
    received: () => simulator.simulator.sent({}).map((message) => ({ waId: message.waId, wamid: message.wamid })),
    output: () => output.join(''),
    openData: (): Promise<PgliteDb> => openData(),
    deps: (db: PgliteDb) => ({ config: loadConfig({}, root), db, clock: systemClock, log: silentLogger, parseWebhook }),
    spawnServe, api, progress, answering, stop: stopChild, close,
  };
}
