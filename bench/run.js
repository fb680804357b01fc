// Benchmark entry point (`npm run bench`, which builds first): runs each benchmark in turn and writes
// bench/RESULTS.md from the sections they return. A benchmark is a module exporting
// run(context) → { title, markdown, ok }; add one by writing the module and listing it below.

import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import * as importContacts from './import-contacts.js';
import { formatDuration } from './lib/measure.js';
import { benchPostgresUrl, postgresVersion } from './lib/postgres.js';

const benchmarks = [importContacts];

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const resultsPath = new URL('./RESULTS.md', import.meta.url);

async function main() {
  if (typeof global.gc !== 'function') {
    console.error('Run with node --expose-gc bench/run.js (npm run bench does): heap figures need a forced gc before each measurement.');
    return 2;
  }
  const startedAt = performance.now();
  const context = { benchDir, tmpDir: fileURLToPath(new URL('./tmp/', import.meta.url)), postgresUrl: benchPostgresUrl(), env: process.env };
  const machine = await describeMachine(context.postgresUrl);
  console.log(machine.map((line) => `  ${line}`).join('\n'));

  const sections = [];
  for (const benchmark of benchmarks) {
    try {
      sections.push(await benchmark.run(context));
    } catch (error) {
      // One broken benchmark still leaves the others' figures in RESULTS.md.
      console.error(error);
      sections.push({ title: 'A benchmark that failed to run', ok: false, markdown: `FAIL: ${error instanceof Error ? error.message : String(error)}` });
    }
  }

  const totalMs = performance.now() - startedAt;
  writeFileSync(resultsPath, renderResults(machine, sections, totalMs));
  const failed = sections.filter((section) => !section.ok);
  console.log(`\nWrote bench/RESULTS.md in ${formatDuration(totalMs)}.`);
  if (failed.length > 0) {
    console.error(`FAIL: ${failed.map((section) => section.title).join(', ')}`);
    return 1;
  }
  console.log('PASS');
  return 0;
}

async function describeMachine(postgresUrl) {
  const cpus = os.cpus();
  return [
    `Date: ${new Date().toISOString()}`,
    `CPU: ${cpus.length} cores, ${cpus[0]?.model.trim() ?? 'unknown model'}`,
    `Memory: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `OS: ${os.type()} ${os.release()} (${os.arch()})`,
    `Node: ${process.version}`,
    `PostgreSQL: ${await postgresVersion(postgresUrl)}`,
  ];
}

function renderResults(machine, sections, totalMs) {
  return [
    '# Greenlight benchmarks',
    '',
    'Reproduce with `npm run bench` (builds, then runs `node --expose-gc bench/run.js`). PostgreSQL comes from `GREENLIGHT_BENCH_POSTGRES_URL` ' +
      '(default `postgres://postgres@127.0.0.1:5432/postgres`; the benchmark creates and drops its own database); `BENCH_IMPORT_ROWS` sets the size of the import.',
    'This file is written by bench/run.js: edit the benchmarks, not this file.',
    '',
    ...machine.map((line) => `- ${line}`),
    `- Whole run: ${formatDuration(totalMs)}`,
    '',
    ...sections.flatMap((section) => [`## ${section.title}`, '', section.markdown, '']),
  ].join('\n');
}

process.exitCode = await main();
