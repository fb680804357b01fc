import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

// Fault injection (test/chaos/): Meta misbehaving, PostgreSQL connections cut, processes killed. One
// file at a time, after the main suite, since real worker processes need the cores to themselves; the
// run's figures end up in test-artifacts/chaos-results.md.
export default defineConfig({
  test: {
    ...base.test,
    include: ['test/chaos/**/*.test.ts'],
    exclude: ['node_modules/**'],
    globalSetup: [...(base.test?.globalSetup as string[]), 'test/chaos/chaos-results.ts'],
    fileParallelism: false,
  },
});
