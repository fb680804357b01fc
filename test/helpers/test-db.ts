// A fresh, migrated database per test on the chosen engine, and an afterEach guard that closes it
// (and drops the PostgreSQL copy) so no test leaks a connection or sees another test's rows.

import { readFileSync } from 'node:fs';
import { afterEach, inject } from 'vitest';
import type { Db, DbKind } from '../../src/store/db.ts';
import { openPglite } from '../../src/store/pglite-db.ts';
import { openPostgres } from '../../src/store/postgres-db.ts';
import { adminQuery as admin, databaseUrl, postgresAdminUrl } from './test-backends.ts';

const cleanups: Array<() => Promise<void>> = [];
let goldenImage: Blob | null = null;
let counter = 0;

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

export async function createTestDb(kind: DbKind): Promise<Db> {
  return kind === 'pglite' ? createPgliteTestDb() : createPostgresTestDb();
}

async function createPgliteTestDb(): Promise<Db> {
  goldenImage ??= new Blob([readFileSync(inject('pgliteGoldenImagePath'))]);
  const db = await openPglite(null, { loadDataDir: goldenImage });
  cleanups.push(() => db.close());
  return db;
}

async function createPostgresTestDb(): Promise<Db> {
  const template = inject('postgresTemplateDatabase');
  if (!postgresAdminUrl || !template) throw new Error('PostgreSQL tests need GREENLIGHT_TEST_POSTGRES_URL');
  const name = `greenlight_test_${process.pid}_${++counter}`;
  await admin(`create database ${name} template ${template}`);
  const db = await openPostgres(databaseUrl(postgresAdminUrl, name), { maxConnections: 4 });
  cleanups.push(async () => {
    await db.close();
    await admin(`drop database if exists ${name} with (force)`);
  });
  return db;
}

/** The connection string of a fresh PostgreSQL test database, for tests that run the CLI as a child process. */
export async function createPostgresTestDatabaseUrl(): Promise<string> {
  const template = inject('postgresTemplateDatabase');
  if (!postgresAdminUrl || !template) throw new Error('PostgreSQL tests need GREENLIGHT_TEST_POSTGRES_URL');
  const name = `greenlight_test_${process.pid}_${++counter}`;
  await admin(`create database ${name} template ${template}`);
  cleanups.push(() => admin(`drop database if exists ${name} with (force)`));
  return databaseUrl(postgresAdminUrl, name);
}
