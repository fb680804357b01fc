#!/usr/bin/env node
// The `greenlight` command. Runs the compiled code in dist/ (built by `npm install` through the
// package's prepare script, or `npm run build`).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('greenlight: dist/ is missing; run `npm install` (or `npm run build`) in the Greenlight checkout first.\n');
  process.exit(1);
}
const { runMain } = await import(entry.href);
process.exitCode = await runMain(process.argv.slice(2));
