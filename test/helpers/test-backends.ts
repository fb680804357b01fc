// Which databases the storage and integration tests run on: always PGlite, and PostgreSQL too when
// GREENLIGHT_TEST_POSTGRES_URL names a server (CI sets it; see .ci/run).

import pg from 'pg';
import type { DbKind } from '../../src/store/db.ts';

export const postgresAdminUrl = process.env.GREENLIGHT_TEST_POSTGRES_URL || null;

export const testBackends: DbKind[] = postgresAdminUrl ? ['pglite', 'postgres'] : ['pglite'];

export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Runs one statement on the PostgreSQL server as admin (CREATE/DROP DATABASE cannot run in a pool's transaction). */
export async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresAdminUrl ?? undefined });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
