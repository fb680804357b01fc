// The composition root: the only module that chooses implementations (PGlite or PostgreSQL, Meta or
// the built-in simulator, the real clock) and wires them into Deps for the entry points.

import { randomBytes } from 'node:crypto';
import { addSender } from './actions/add-sender.ts';
import { ensureApiToken, issueApiToken } from './actions/issue-api-token.ts';
import { recoverEmbeddedClaims } from './actions/recover-embedded-claims.ts';
import { setTimeout as delay } from 'node:timers/promises';
import type { DemoHandle, DemoStartOptions, ServerHandle, SimulatorHandle, SimulatorStartOptions, WorkerHandle, WorkerStartOptions } from './cli/cli-context.ts';
import { runCli } from './cli/run-cli.ts';
import { loadConfig, type Config } from './config.ts';
import type { Deps, WhatsAppDeps } from './deps.ts';
import { AppError } from './errors.ts';
import { systemClock } from './lib/clock.ts';
import { createJsonLogger, silentLogger, type Logger } from './lib/logger.ts';
import { loadDefaultRateCard } from './domain/rate-card.ts';
import { startCampaignWorker } from './runtime/campaign-worker.ts';
import { startHttpServer } from './runtime/http-server.ts';
import { startMetricsServer } from './runtime/metrics.ts';
import { createSimulator, type Simulator } from './simulator/create-simulator.ts';
import { serveSimulator } from './simulator/serve-simulator.ts';
import type { Db } from './store/db.ts';
import { migrate } from './store/migrate.ts';
import { openPglite } from './store/pglite-db.ts';
import { openPostgres } from './store/postgres-db.ts';
import { listSenders } from './store/senders.ts';
import { createCloudClient } from './whatsapp/client.ts';
import { parseWebhook } from './whatsapp/webhook.ts';

type Env = Record<string, string | undefined>;

export async function openDatabase(config: Config): Promise<Db> {
  return config.database.kind === 'pglite' ? openPglite(config.database.dataDir) : openPostgres(config.database.url);
}

/** Loads the configuration, opens and migrates the database; the caller closes `deps.db`. */
export async function createDeps(env: Env, cwd: string, log: Logger = silentLogger): Promise<Deps> {
  const config = loadConfig(env, cwd);
  const db = await openDatabase(config);
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return { config, db, clock: systemClock, log };
}

// The simulated business Greenlight talks to when no Meta access token is set.
const simulatedSender = { phoneNumberId: '106540352242922', wabaId: '102290129340398', displayPhoneNumber: '15550783881' };

/**
 * Deps plus the Cloud API client: Meta's when WHATSAPP_ACCESS_TOKEN is set, otherwise an in-process
 * simulator. The configured sender is added on first use. Closing `db` also closes the client.
 */
export async function createWhatsAppDeps(env: Env, cwd: string, log: Logger = silentLogger): Promise<WhatsAppDeps & { simulator: Simulator | null; appSecret: string }> {
  const deps = await createDeps(env, cwd, log);
  const settings = deps.config.whatsapp;
  let simulator: Simulator | null = null;
  let accessToken = settings.accessToken;
  let appSecret = settings.appSecret;
  if (settings.mode === 'simulator' || !accessToken) {
    // Fresh secrets per process: nothing outside this process can sign webhooks or call the simulator.
    accessToken = `simulator-${randomBytes(16).toString('hex')}`;
    appSecret = randomBytes(32).toString('hex');
    simulator = createSimulator({ speed: 1, accessToken, appSecret, startWebhooks: false, phoneNumbers: [{ id: simulatedSender.phoneNumberId, wabaId: simulatedSender.wabaId, displayPhoneNumber: simulatedSender.displayPhoneNumber, verifiedName: 'Greenlight Simulator' }] });
  }
  if (!appSecret) appSecret = '';
  // Senders configured for the Marketing Messages API send marketing templates there (§8.5).
  const marketingMessagesPhoneNumberIds = (await listSenders(deps.db)).filter((sender) => sender.useMarketingMessagesApi).map((sender) => sender.phoneNumberId);
  const client = createCloudClient({ baseUrl: simulator ? 'http://simulator.invalid' : settings.baseUrl, apiVersion: settings.apiVersion, accessToken, clock: deps.clock, marketingMessagesPhoneNumberIds, ...(simulator ? { fetch: simulator.fetch } : {}) });
  const sender = simulator ? simulatedSender : settings.phoneNumberId && settings.wabaId ? { phoneNumberId: settings.phoneNumberId, wabaId: settings.wabaId, displayPhoneNumber: null } : null;
  if (sender) await addSender(deps, sender);
  const db: Db = {
    ...deps.db,
    close: async () => {
      simulator?.close();
      await client.close();
      await deps.db.close();
    },
  };
  return { ...deps, db, whatsapp: client, parseWebhook, simulator, appSecret };
}

/** `greenlight serve`: webhooks, their processing and the campaign dispatcher (API and dashboard later), against Meta or the simulator. */
export async function startServer(env: Env, cwd: string, options: { port?: number; hostname?: string; dispatch?: boolean }): Promise<ServerHandle> {
  const log = createJsonLogger(process.stderr, { level: loadConfig(env, cwd).logLevel });
  const deps = await createWhatsAppDeps(env, cwd, log);
  const { mode, verifyToken } = deps.config.whatsapp;
  const rateCard = loadDefaultRateCard();
  const generatedApiToken = await ensureApiToken(deps, deps.config.http.apiToken);
  // Against Meta, an unsigned webhook could opt everyone out: refuse to start without the app secret.
  if (mode === 'meta' && !deps.appSecret) {
    await deps.db.close();
    throw new AppError('CONFIG_INVALID', 'WHATSAPP_APP_SECRET is required with WHATSAPP_ACCESS_TOKEN: webhook signatures cannot be checked without it');
  }
  // The embedded database admits one process: whatever it finds claimed was claimed by one that died.
  if (deps.db.kind === 'pglite') await recoverEmbeddedClaims(deps);
  // On PostgreSQL the webhook processor gets connections of its own (see ServerOptions.processorDb).
  const processorDb = deps.config.database.kind === 'postgres' ? await openPostgres(deps.config.database.url, { maxConnections: 2 }) : undefined;
  // And the dispatcher too: its batches run several statements at once (context loads in parallel).
  const dispatcherDb = deps.config.database.kind === 'postgres' ? await openPostgres(deps.config.database.url, { maxConnections: 8 }) : undefined;
  try {
    const server = await startHttpServer(deps, {
      port: options.port ?? deps.config.http.port,
      hostname: options.hostname,
      appSecret: deps.appSecret,
      verifyToken,
      mounts: deps.simulator ? [{ path: '/simulator', app: deps.simulator.app }] : [],
      processorDb,
      api: { mode, rateCard, publicUrl: deps.config.http.publicUrl },
    });
    if (deps.simulator) {
      deps.simulator.webhooks.setTarget({ url: `${server.url}/webhooks/whatsapp` });
      void deps.simulator.webhooks.start();
    }
    // serve also sends campaigns: on the embedded database it is the only process that can.
    const worker = options.dispatch === false ? null : startCampaignWorker({ ...deps, db: dispatcherDb ?? deps.db }, { rateCard, publicUrl: deps.config.http.publicUrl });
    log.info('serve.started', { url: server.url, mode, database: deps.config.database.kind, dispatch: worker !== null });
    return {
      url: server.url,
      mode,
      generatedApiToken,
      close: async () => {
        log.info('serve.stopping', { url: server.url });
        await worker?.close();
        await server.close();
        await processorDb?.close();
        await dispatcherDb?.close();
        await deps.db.close();
        log.info('serve.stopped', { url: server.url });
      },
    };
  } catch (error) {
    await processorDb?.close();
    await dispatcherDb?.close();
    await deps.db.close();
    throw error;
  }
}

/**
 * `greenlight worker`: a dispatcher alone. Several may run against one PostgreSQL database (claims,
 * leases and the shared pacing slots keep them apart); the embedded database belongs to one process,
 * which is `serve`.
 */
export async function startWorker(env: Env, cwd: string, options: WorkerStartOptions): Promise<WorkerHandle> {
  const config = loadConfig(env, cwd);
  if (config.database.kind === 'pglite') {
    throw new AppError('INVALID_STATE', 'workers need PostgreSQL (set GREENLIGHT_DATABASE_URL): on the embedded database `greenlight serve` sends the campaigns itself');
  }
  const log = createJsonLogger(process.stderr, { level: config.logLevel });
  const deps = await createWhatsAppDeps(env, cwd, log);
  const metrics = options.metricsPort === undefined ? null : await startMetricsServer(log, { port: options.metricsPort, hostname: options.metricsHost }).catch(async (error: unknown) => {
    await deps.db.close();
    throw error;
  });
  const worker = startCampaignWorker(deps, { rateCard: loadDefaultRateCard(), publicUrl: deps.config.http.publicUrl, ...(options.lanes ? { lanes: options.lanes } : {}), ...(options.batchSize ? { batchSize: options.batchSize } : {}), ...(options.leaseSeconds ? { leaseMs: options.leaseSeconds * 1000 } : {}) });
  return {
    owner: worker.owner,
    mode: deps.config.whatsapp.mode,
    metricsUrl: metrics?.url ?? null,
    close: async () => {
      await worker.close();
      await metrics?.close();
      await deps.db.close();
    },
  };
}

/** `greenlight simulator`: the Cloud API simulator alone, for pointing WHATSAPP_API_BASE_URL at. */
export async function startStandaloneSimulator(options: SimulatorStartOptions): Promise<SimulatorHandle> {
  const accessToken = options.accessToken ?? `simulator-${randomBytes(16).toString('hex')}`;
  const appSecret = options.appSecret ?? randomBytes(32).toString('hex');
  const served = await serveSimulator({ port: options.port, hostname: options.hostname, speed: options.speed, seed: options.seed, accessToken, appSecret, ...(options.webhookUrl ? { webhook: { url: options.webhookUrl } } : { startWebhooks: false }) });
  return { url: served.url, accessToken, appSecret, phoneNumbers: served.simulator.phoneNumbers, close: () => served.close() };
}

/**
 * `greenlight demo`: the whole product on a throw-away embedded database (in memory) and the built-in
 * simulator running `speed` times faster than real time. Greenlight's own clock is the simulator's, so
 * pacing, canary holds, service windows and Meta's reviews all pass at the same accelerated rate; the
 * dispatcher's waits are divided by `speed` to match. Two senders, the REST API, the dashboard and the
 * webhook receiver are up on `port`; the caller seeds data and drives campaigns through actions.
 */
export async function startDemo(options: DemoStartOptions): Promise<DemoHandle> {
  const config = loadConfig({ GREENLIGHT_LOG_LEVEL: 'error' }, process.cwd());
  const log = createJsonLogger(process.stderr, { level: 'error' });
  const db = await openPglite(null);
  await migrate(db);
  const accessToken = `simulator-${randomBytes(16).toString('hex')}`;
  const appSecret = randomBytes(32).toString('hex');
  const simulator = createSimulator({
    speed: options.speed, startAt: options.startAt, seed: options.seed, accessToken, appSecret, startWebhooks: false,
    phoneNumbers: demoSenders.map((sender) => ({ id: sender.phoneNumberId, wabaId: sender.wabaId, displayPhoneNumber: sender.displayPhoneNumber, verifiedName: 'Loja Verde' })),
    messagingLimitTier: 'TIER_10K', templateReviewDelayMs: 3 * 60_000,
  });
  const clock = simulator.clock;
  const whatsapp = createCloudClient({ baseUrl: 'http://simulator.invalid', apiVersion: config.whatsapp.apiVersion, accessToken, clock, fetch: simulator.fetch });
  const deps: WhatsAppDeps = { config, db, clock, log, whatsapp, parseWebhook };
  const rateCard = loadDefaultRateCard();
  try {
    for (const sender of demoSenders) await addSender(deps, sender);
    const apiToken = await issueApiToken(deps, 'demo');
    const server = await startHttpServer(deps, { port: options.port, hostname: options.hostname, appSecret, verifyToken: null, mounts: [{ path: '/simulator', app: simulator.app }], api: { mode: 'simulator', rateCard, publicUrl: null } });
    simulator.webhooks.setTarget({ url: `${server.url}/webhooks/whatsapp` });
    void simulator.webhooks.start();
    // Waits in simulated time, slept in real time divided by the speed; supervision four times a real
    // second. A late pacing slot is used anyway: at 60× one busy real millisecond is 60 simulated ones,
    // so serve's 15 ms tolerance would re-reserve nearly every slot and push the schedule ever further
    // ahead; and the demo's sending is bound by the CPU far below the senders' simulated rate. Leases
    // last a real minute, as in serve, not a simulated one (a real second at 60×).
    // Closing wakes every sleeper at once: a lane waiting on a slot or a retry hours ahead in simulated
    // time would otherwise hold the process open long after the report (the demo's database is in memory).
    const stopping = new AbortController();
    const sleepUntil = (at: Date) => delay(Math.max(0, (at.getTime() - clock.now().getTime()) / options.speed), undefined, { signal: stopping.signal }).catch(() => undefined);
    const worker = startCampaignWorker(deps, { rateCard, publicUrl: null, sleepUntil, superviseEveryMs: 250, lateSlotToleranceMs: Number.POSITIVE_INFINITY, leaseMs: 60_000 * options.speed });
    return {
      deps, url: server.url, apiToken, senders: demoSenders, rateCard,
      simulator: { optIn: (phones) => simulator.controls.optIn(phones), inbound: (input) => simulator.controls.inbound(input) },
      close: async () => {
        stopping.abort();
        await worker.close();
        await server.close();
        simulator.close();
        await whatsapp.close();
        await db.close();
      },
    };
  } catch (error) {
    simulator.close();
    await whatsapp.close();
    await db.close();
    throw error;
  }
}

// The demo business: one WABA with two numbers (a main line and a support line).
const demoSenders = [
  { phoneNumberId: '106540352242922', wabaId: '102290129340398', displayPhoneNumber: '15550783881' },
  { phoneNumberId: '106540352242923', wabaId: '102290129340398', displayPhoneNumber: '15550783882' },
];

/** The process entry point behind bin/greenlight.js. */
export async function runMain(argv: string[]): Promise<number> {
  return runCli({
    args: argv,
    cwd: process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
    interactive: process.stderr.isTTY === true,
    openDeps: () => createDeps(process.env, process.cwd()),
    openWhatsAppDeps: () => createWhatsAppDeps(process.env, process.cwd()),
    startServer: (options) => startServer(process.env, process.cwd(), options),
    startSimulator: startStandaloneSimulator,
    startWorker: (options) => startWorker(process.env, process.cwd(), options),
    startDemo,
  });
}
