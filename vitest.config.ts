import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Real-time measurements run alone afterwards (vitest.timing.config.ts; npm test runs both), and the
    // fault-injection suite on its own (vitest.chaos.config.ts, npm run test:chaos).
    exclude: ['test/timing/**', 'test/chaos/**', 'node_modules/**'],
    globalSetup: ['test/helpers/global-setup.ts'],
    setupFiles: ['test/helpers/fast-check-seed.ts'],
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    // PGlite instances are ~40 MB each and WASM start-up is CPU-bound: two workers match the two cores CI has.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
