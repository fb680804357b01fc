import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

// Tests that measure real time with real processes (SIGKILL crashes, two workers' combined rate): one
// file at a time, after the main suite, so the other test files do not steal the cores they measure.
export default defineConfig({ test: { ...base.test, include: ['test/timing/**/*.test.ts'], exclude: ['node_modules/**'], fileParallelism: false } });
