// Runs once per test run: migrates a PGlite "golden image" and, when PostgreSQL is configured, a
// template database. Each test then gets a fresh copy cheaply (PGlite: load the dump, ~0.3 s;
// PostgreSQL: CREATE DATABASE … TEMPLATE). This is graphile-worker's template idea on both engines.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { migrate } from '../../src/store/migrate.ts';
import { openPglite } from '../../src/store/pglite-db.ts';
import { openPostgres } from '../../src/store/postgres-db.ts';
import { adminQuery, databaseUrl, postgresAdminUrl } from './test-backends.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteGoldenImagePath: string;
    postgresTemplateDatabase: string | null;
  }
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(path.join(tmpdir(), 'greenlight-test-'));
  const golden = await openPglite(null);
  await migrate(golden);
  const imagePath = path.join(dir, 'golden.tar');
  writeFileSync(imagePath, Buffer.from(await (await golden.dumpDataDir()).arrayBuffer()));
  await golden.close();
  project.provide('pgliteGoldenImagePath', imagePath);

  let template: string | null = null;
  if (postgresAdminUrl) {
    template = `greenlight_test_template_${process.pid}`;
    await adminQuery(`drop database if exists ${template}`);
    await adminQuery(`create database ${template}`);
    const db = await openPostgres(databaseUrl(postgresAdminUrl, template));
    await migrate(db);
    await db.close();
  }
  project.provide('postgresTemplateDatabase', template);

  return async () => {
    rmSync(dir, { recursive: true, force: true });
    if (template) await adminQuery(`drop database if exists ${template} with (force)`);
  };
}
