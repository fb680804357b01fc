// The composition root: the only module that chooses implementations (PGlite or PostgreSQL, Meta or
// the built-in simulator, the real clock) and wires them into Deps for the entry points.

import { runCli } from './cli/run-cli.ts';
import { loadConfig, type Config } from './config.ts';
import type { Deps, WhatsAppDeps } from './deps.ts';
import { AppError } from './errors.ts';
import { systemClock } from './lib/clock.ts';
import { silentLogger, type Logger } from './lib/logger.ts';
import type { Db } from './store/db.ts';
import { migrate } from './store/migrate.ts';
import { openPglite } from './store/pglite-db.ts';
import { openPostgres } from './store/postgres-db.ts';
import { createCloudClient } from './whatsapp/client.ts';
import { parseWebhook } from './whatsapp/webhook.ts';

export async function openDatabase(config: Config): Promise<Db> {
  return config.database.kind === 'pglite' ? openPglite(config.database.dataDir) : openPostgres(config.database.url);
}

/** Loads the configuration, opens and migrates the database; the caller closes `deps.db`. */
export async function createDeps(env: Record<string, string | undefined>, cwd: string, log: Logger = silentLogger): Promise<Deps> {
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

/** Deps plus the Cloud API client. Closing `db` also closes the client's connection pool. */
export async function createWhatsAppDeps(env: Record<string, string | undefined>, cwd: string, log: Logger = silentLogger): Promise<WhatsAppDeps> {
  const deps = await createDeps(env, cwd, log);
  const { whatsapp: settings } = deps.config;
  if (settings.mode === 'simulator' || !settings.accessToken) {
    await deps.db.close();
    throw new AppError('CONFIG_INVALID', 'No WHATSAPP_ACCESS_TOKEN is set, and the built-in simulator is not wired in yet');
  }
  const client = createCloudClient({ baseUrl: settings.baseUrl, apiVersion: settings.apiVersion, accessToken: settings.accessToken, clock: deps.clock });
  const db: Db = { ...deps.db, close: async () => { await client.close(); await deps.db.close(); } };
  return { ...deps, db, whatsapp: client, parseWebhook };
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
  });
}
