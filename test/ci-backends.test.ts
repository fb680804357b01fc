// Guards the test matrix itself: in CI the storage and integration suites must also have run on
// PostgreSQL, so a missing GREENLIGHT_TEST_POSTGRES_URL fails loudly instead of skipping silently.
import { expect, it } from 'vitest';
import { testBackends } from './helpers/test-backends.ts';

it('runs the database suites on PostgreSQL as well as PGlite when CI is set', () => {
  if (process.env.CI === 'true') expect(testBackends).toEqual(['pglite', 'postgres']);
  else expect(testBackends).toContain('pglite');
});
