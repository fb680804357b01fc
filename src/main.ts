// The composition root: the only module that chooses implementations (PGlite or PostgreSQL, the
// real clock) and wires them into Deps for the entry points (CLI today; HTTP and workers later).

import { runCli } from './cli/run-cli.ts';
import { loadConfig, type Config } from './config.ts';
import type { Deps } from './deps.ts';
import { systemClock } from './lib/clock.ts';
import type { Db } from './store/db.ts';
import { migrate } from './store/migrate.ts';
import { openPglite } from './store/pglite-db.ts';
import { openPostgres } from './store/postgres-db.ts';

export async function openDatabase(config: Config): Promise<Db> {
  return config.database.kind === 'pglite' ? openPglite(config.database.dataDir) : openPostgres(config.database.url);
}

/** Loads the configuration, opens and migrates the database; the caller closes `deps.db`. */
export async function createDeps(env: Record<string, string | undefined>, cwd: string): Promise<Deps> {
  const config = loadConfig(env, cwd);
  const db = await openDatabase(config);
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return { config, db, clock: systemClock };
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
  });
}
