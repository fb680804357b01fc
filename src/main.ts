// The composition root: the only module that chooses implementations (PGlite or PostgreSQL, Meta or
// the built-in simulator, the real clock) and wires them into Deps for the entry points.

import { randomBytes } from 'node:crypto';
import { addSender } from './actions/add-sender.ts';
import { ensureApiToken } from './actions/issue-api-token.ts';
import type { ServerHandle, SimulatorHandle, SimulatorStartOptions, WorkerHandle, WorkerStartOptions } from './cli/cli-context.ts';
import { runCli } from './cli/run-cli.ts';
import { loadConfig, type Config } from './config.ts';
import type { Deps, WhatsAppDeps } from './deps.ts';
import { AppError } from './errors.ts';
import { systemClock } from './lib/clock.ts';
import { createJsonLogger, silentLogger, type Logger } from './lib/logger.ts';
import { loadDefaultRateCard } from './domain/rate-card.ts';
import { startCampaignWorker } from './runtime/campaign-worker.ts';
import { startHttpServer } from './runtime/http-server.ts';
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
    return {
      url: server.url,
      mode,
      generatedApiToken,
      close: async () => {
        await worker?.close();
        await server.close();
        await processorDb?.close();
        await dispatcherDb?.close();
        await deps.db.close();
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
  const worker = startCampaignWorker(deps, { rateCard: loadDefaultRateCard(), publicUrl: deps.config.http.publicUrl, ...(options.lanes ? { lanes: options.lanes } : {}), ...(options.batchSize ? { batchSize: options.batchSize } : {}), ...(options.leaseSeconds ? { leaseMs: options.leaseSeconds * 1000 } : {}) });
  return {
    owner: worker.owner,
    mode: deps.config.whatsapp.mode,
    close: async () => {
      await worker.close();
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
  });
}
