// /healthz says the process is up; /readyz says it can do its work: the database answers and carries
// every migration this build expects. A process manager routes traffic on the second, never the first.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import type { Db } from '../../src/store/db.ts';
import { createTestDb } from '../helpers/test-db.ts';
import { testBackends } from '../helpers/test-backends.ts';

const appFor = (db: Db) => createHttpApp({ config: loadConfig({}, '/tmp'), db, clock: systemClock, log: silentLogger }, { webhook: { appSecret: 'secret', verifyToken: null } });

describe.each(testBackends)('readiness on %s', (kind) => {
  it('is ready when the database answers and every migration is applied', async () => {
    const response = await appFor(await createTestDb(kind)).request('/readyz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });

  it('is not ready, and says why, while a migration is missing', async () => {
    const db = await createTestDb(kind);
    await db.query('delete from schema_migrations where version = (select max(version) from schema_migrations)');
    const response = await appFor(db).request('/readyz');
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ ok: false, reason: '1 database migration(s) not applied yet' });
  });

  it('is not ready when the database does not answer, and leaks no error detail', async () => {
    const db = await createTestDb(kind);
    const broken: Db = { ...db, query: () => Promise.reject(new Error('connection refused at 10.0.0.7:5432 password=hunter2')) };
    const response = await appFor(broken).request('/readyz');
    expect(response.status).toBe(503);
    expect(await response.text()).not.toMatch(/hunter2|10\.0\.0\.7/);
  });
});
