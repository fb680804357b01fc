// Set-up for tests that run real `greenlight worker` processes against PostgreSQL: the simulator
// served over HTTP from the test process (it outlives every worker, and its sent log is the ground
// truth of what "Meta" received), its webhooks applied by this process, and seeded contacts.

import { spawn, type ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { addSender } from '../../src/actions/add-sender.ts';
import { processWebhookEvents } from '../../src/actions/process-webhook-events.ts';
import { syncSender } from '../../src/actions/sync-sender.ts';
import { syncTemplates } from '../../src/actions/sync-templates.ts';
import { loadConfig } from '../../src/config.ts';
import type { WhatsAppDeps } from '../../src/deps.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { createSimulator } from '../../src/simulator/create-simulator.ts';
import { countMessagesByState } from '../../src/store/campaign-messages.ts';
import type { Db } from '../../src/store/db.ts';
import { openPostgres } from '../../src/store/postgres-db.ts';
import { createCloudClient } from '../../src/whatsapp/client.ts';
import { parseWebhook } from '../../src/whatsapp/webhook.ts';
import { PHONE_ID, SALE_TEMPLATES, WABA_ID } from './campaign-harness.ts';
import { sleep, stopChild } from './child-processes.ts';
import { createPostgresTestDatabaseUrl } from './test-db.ts';

const root = path.resolve(import.meta.dirname, '../..');
export { sleep };

/** Whether any of the campaign's messages is still to send or in flight (completion waits two more minutes to settle). */
export async function unfinished(db: Db, campaignId: number): Promise<boolean> {
  const counts = await countMessagesByState(db, campaignId);
  return counts.planned + counts.deferred + counts.queued + counts.sending > 0;
}

export type ServedSimulator = { url: string; sent(): Promise<Array<{ waId: string; wamid: string; acceptedAtMs: number; errorCode: number | null }>>; close(): Promise<void> };

/**
 * The simulator in a process of its own (the built one, from dist/), for measurements Meta would take
 * on its side: arrival times are then not bunched by this test process's own work (GC, database polls).
 */
export async function startSimulatorProcess(options: Record<string, unknown>): Promise<ServedSimulator> {
  const script = `const { serveSimulator } = await import(${JSON.stringify(path.join(root, 'dist/simulator/serve-simulator.js'))});
    const served = await serveSimulator(JSON.parse(process.env.SIM_OPTIONS));
    process.stdout.write(JSON.stringify({ url: served.url }) + '\\n');
    process.on('SIGTERM', () => served.close().then(() => process.exit(0)));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: root, env: { ...process.env, SIM_OPTIONS: JSON.stringify(options) }, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const line = buffered.split('\n')[0];
      if (buffered.includes('\n') && line) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`the simulator process exited (${code})`)));
  });
  return {
    url,
    sent: async () => {
      const body = (await (await fetch(`${url}/_sim/sent`)).json()) as { data: Array<{ waId: string; wamid: string; acceptedAt: string; errorCode: number | null }> };
      return body.data.map((message) => ({ waId: message.waId, wamid: message.wamid, acceptedAtMs: Date.parse(message.acceptedAt), errorCode: message.errorCode }));
    },
    close: () => stopChild(child, 'SIGTERM'),
  };
}

/**
 * `separateSimulator: true` runs the simulator in its own process with no webhooks: a rate test then
 * measures the workers, not this process's load. Otherwise it runs here and its webhooks are applied.
 */
export async function createWorkerHarness(options: { recipients: number; tag: string; separateSimulator?: boolean }) {
  const url = await createPostgresTestDatabaseUrl();
  const db = await openPostgres(url, { maxConnections: 4 });
  const receiver: { app: ReturnType<typeof createHttpApp> | null } = { app: null };
  const simulatorOptions = {
    speed: 1, seed: 11, accessToken: 'tok', appSecret: 'secret', templates: SALE_TEMPLATES, messagingLimitTier: 'TIER_UNLIMITED',
    phoneNumbers: [{ id: PHONE_ID, wabaId: WABA_ID, displayPhoneNumber: '15550783881', verifiedName: 'Worker Test', throughputLevel: 'HIGH' as const }],
    population: { notOnWhatsAppShare: 0 }, pacing: { enabled: false }, webhookFaults: { duplicateRate: 0, reorderRate: 0 },
  };
  const inProcess = options.separateSimulator
    ? null
    : createSimulator({
        ...simulatorOptions, startAt: new Date(),
        webhook: { deliver: async (request) => ({ status: (await receiver.app!.request('/webhooks/whatsapp', { method: 'POST', headers: request.headers, body: request.body })).status }) },
      });
  const served: ServedSimulator = inProcess ? await serveInProcess(inProcess) : await startSimulatorProcess({ ...simulatorOptions, startWebhooks: false });
  const whatsapp = createCloudClient({ baseUrl: served.url, apiVersion: 'v25.0', accessToken: 'tok' });
  const deps: WhatsAppDeps = { config: loadConfig({}, root), db, clock: systemClock, log: silentLogger, whatsapp, parseWebhook };
  receiver.app = createHttpApp(deps, { webhook: { appSecret: 'secret', verifyToken: null } });
  let processing = inProcess !== null;
  const processor = (async () => {
    while (processing) if ((await processWebhookEvents(deps)).webhooks === 0) await sleep(100);
  })();

  const { sender } = await addSender(deps, { phoneNumberId: PHONE_ID, wabaId: WABA_ID, throughputShare: 0.8 });
  await syncSender(deps, sender);
  await syncTemplates(deps, WABA_ID);
  await db.query(
    `insert into contacts (phone, name, language, country, time_zone, tags, created_at, updated_at)
     select '+49151' || (10000000 + i)::text, 'Person ' || i, 'en_US', 'DE', 'Europe/Berlin', array[$2::text], now(), now() from generate_series(1, $1::int) as i`,
    [options.recipients, options.tag],
  );
  await db.query(`insert into consent_events (contact_id, category, kind, occurred_at, recorded_at, source, proof) select id, 'marketing', 'opt_in', now() - interval '1 day', now(), 'worker test', 'yes' from contacts`);
  const phones = (await db.query<{ phone: string }>('select phone from contacts')).map((row) => row.phone);
  await fetch(`${served.url}/_sim/people/opt-ins`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ phones }) });

  const env = { GREENLIGHT_DATABASE_URL: url, WHATSAPP_ACCESS_TOKEN: 'tok', WHATSAPP_API_BASE_URL: served.url, WHATSAPP_APP_SECRET: 'secret', WHATSAPP_PHONE_NUMBER_ID: PHONE_ID, WHATSAPP_WABA_ID: WABA_ID, GREENLIGHT_LOG_LEVEL: 'error' };
  const workers: ChildProcess[] = [];
  /** `extraEnv` overrides the harness's settings (a database URL through a proxy, say). */
  function startWorker(args: string[] = [], extraEnv: Record<string, string> = {}): ChildProcess {
    const child = spawn(process.execPath, ['bin/greenlight.js', 'worker', ...args], { cwd: root, env: { ...process.env, ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.resume();
    child.stderr?.resume();
    workers.push(child);
    return child;
  }
  /** Resolves once the worker says it is running (its database opened, its sender synced); rejects if it exits first. */
  function workerRunning(child: ChildProcess): Promise<void> {
    return new Promise((resolve, reject) => {
      let said = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        said += chunk.toString();
        if (said.includes(' is running')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`the worker exited (${code}) before it was running`)));
    });
  }
  const stopWorker = stopChild;
  /** Stops the webhook processor after applying what has arrived. */
  async function drainWebhooks(): Promise<void> {
    processing = false;
    await processor;
    while ((await processWebhookEvents(deps)).webhooks > 0);
  }
  async function close(): Promise<void> {
    for (const worker of workers) if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
    processing = false;
    await processor;
    await served.close();
    await db.close();
  }
  return { db, deps, databaseUrl: url, sent: () => served.sent(), startWorker, workerRunning, stopWorker, drainWebhooks, close };
}

/** The in-process simulator on a port: webhooks reach this process's receiver directly. */
async function serveInProcess(simulator: ReturnType<typeof createSimulator>): Promise<ServedSimulator> {
  return new Promise((resolve) => {
    const running = serve({ fetch: simulator.app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        sent: () => Promise.resolve(simulator.sent({}).map((message) => ({ waId: message.waId, wamid: message.wamid, acceptedAtMs: message.acceptedAtMs, errorCode: message.errorCode }))),
        close: () => {
          running.close();
          simulator.close();
          return Promise.resolve();
        },
      }),
    );
  });
}
