// Where the benchmarks find PostgreSQL (GREENLIGHT_BENCH_POSTGRES_URL) and what they say about it:
// the server version for the report, and URLs with their password hidden.

import { rmSync } from 'node:fs';
import pg from 'pg';
import { openPglite } from '../../dist/store/pglite-db.js';
import { openPostgres } from '../../dist/store/postgres-db.js';

export function benchPostgresUrl(env = process.env) {
  return env.GREENLIGHT_BENCH_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
}

/** `select version()`, or why it could not be asked. */
export async function postgresVersion(url) {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    const { rows } = await client.query('select version() as version');
    return rows[0].version;
  } catch (error) {
    return `unreachable at ${redact(url)} (${error.message || error.code || String(error)})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The URL without its password, for reports and logs. */
export function redact(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/**
 * A fresh database for one benchmark, dropped by close(): PGlite in `dir`, or PostgreSQL database
 * `name` created on the server at `postgresUrl`. Returns { db, close } or { skipped: reason } when
 * PostgreSQL cannot be reached (the benchmark records it instead of failing).
 */
export async function openBenchDatabase({ engine, dir, name, postgresUrl }) {
  if (engine === 'pglite') {
    rmSync(dir, { recursive: true, force: true });
    const db = await openPglite(dir);
    return {
      db,
      close: async () => {
        await db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const admin = new pg.Client({ connectionString: postgresUrl });
  try {
    await admin.connect();
  } catch (error) {
    return { skipped: `skipped: PostgreSQL unreachable at ${redact(postgresUrl)} (${error.message || error.code || String(error)})` };
  }
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  const db = await openPostgres(url.toString());
  return {
    db,
    // For other processes (the soak's `greenlight worker`s) to open the same database.
    url: url.toString(),
    close: async () => {
      await db.close();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
