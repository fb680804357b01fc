// Applies the numbered SQL files in ./migrations in order, all pending ones in one transaction, and
// records them in schema_migrations. An advisory lock makes concurrent starts (several workers on
// PostgreSQL) wait for each other instead of racing. The same files run on PGlite and PostgreSQL.

import { readdirSync, readFileSync } from 'node:fs';
import type { Db } from './db.ts';

const migrationsDir = new URL('./migrations/', import.meta.url);
const fileNamePattern = /^(\d{4})-[a-z0-9-]+\.sql$/;
// An arbitrary constant shared by every Greenlight process: the key of the migration lock.
const migrationLockKey = 7_301_202_611;

export type Migration = { version: number; name: string; sql: string };

export function listMigrations(): Migration[] {
  return readdirSync(migrationsDir)
    .filter((file) => fileNamePattern.test(file))
    .sort()
    .map((file) => ({
      version: Number(fileNamePattern.exec(file)?.[1]),
      name: file,
      sql: readFileSync(new URL(file, migrationsDir), 'utf8'),
    }));
}

/** Brings the schema up to date; returns the names of the migrations it applied. */
export async function migrate(db: Db): Promise<string[]> {
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [migrationLockKey]);
    await tx.exec(`create table if not exists schema_migrations (
      version integer primary key,
      name text not null,
      applied_at timestamptz not null default now()
    )`);
    const appliedRows = await tx.query<{ version: number }>('select version from schema_migrations');
    const applied = new Set(appliedRows.map((row) => row.version));
    const pending = listMigrations().filter((migration) => !applied.has(migration.version));
    for (const migration of pending) {
      await tx.exec(migration.sql);
      await tx.query('insert into schema_migrations (version, name) values ($1, $2)', [migration.version, migration.name]);
    }
    return pending.map((migration) => migration.name);
  });
}

/** How many migrations this build knows that the database has not applied (readiness: 0 means ready). */
export async function countPendingMigrations(db: Db): Promise<number> {
  const table = await db.query<{ present: boolean }>(`select to_regclass('schema_migrations') is not null as present`);
  if (!table[0]?.present) return listMigrations().length;
  const applied = new Set((await db.query<{ version: number }>('select version from schema_migrations')).map((row) => row.version));
  return listMigrations().filter((migration) => !applied.has(migration.version)).length;
}
