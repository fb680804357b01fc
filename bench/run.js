// Benchmark entry point (`npm run bench`, which builds first): runs each benchmark in turn and writes
// bench/RESULTS.md from the sections they return. A benchmark is a module exporting
// run(context) → { title, markdown, ok }; add one by writing the module and listing it below.
// BENCH_ONLY=webhooks (or import, or a comma-separated list) runs some of them: the sections of the
// others are kept from the RESULTS.md already there, each between its own markers, with its date.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import * as campaignDispatch from './campaign-dispatch.js';
import * as importContacts from './import-contacts.js';
import * as load from './load.js';
import { formatDuration } from './lib/measure.js';
import { benchPostgresUrl, postgresVersion } from './lib/postgres.js';
import * as soak from './soak.js';
import * as webhookIngestion from './webhook-ingestion.js';

// id: what BENCH_ONLY names it by and what its markers in RESULTS.md say; heading: how its section
// starts in a RESULTS.md written before the markers existed.
const benchmarks = [
  { id: 'import', module: importContacts, heading: /^## Contacts CSV import/ },
  { id: 'webhooks', module: webhookIngestion, heading: /^## Webhook ingestion/ },
  { id: 'dispatch', module: campaignDispatch, heading: /^## Campaign dispatch/ },
  // Ten minutes and more each: run on their own (`npm run bench:load`), never as part of `npm run bench`.
  { id: 'load', module: load, heading: /^## Load: webhooks/, onlyWhenNamed: true },
  { id: 'soak', module: soak, heading: /^## Load: soak/, onlyWhenNamed: true },
];

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const resultsPath = new URL('./RESULTS.md', import.meta.url);

async function main() {
  if (typeof global.gc !== 'function') {
    console.error('Run with node --expose-gc bench/run.js (npm run bench does): heap figures need a forced gc before each measurement.');
    return 2;
  }
  const selected = selectBenchmarks(process.env.BENCH_ONLY);
  const startedAt = performance.now();
  const context = { benchDir, tmpDir: fileURLToPath(new URL('./tmp/', import.meta.url)), postgresUrl: benchPostgresUrl(), env: process.env };
  const machine = await describeMachine(context.postgresUrl);
  console.log(machine.map((line) => `  ${line}`).join('\n'));

  const sections = [];
  for (const benchmark of selected) {
    const benchmarkStartedAt = performance.now();
    const measuredAt = new Date().toISOString();
    let section;
    try {
      section = await benchmark.module.run(context);
    } catch (error) {
      // One broken benchmark still leaves the others' figures in RESULTS.md.
      console.error(error);
      section = { title: `${benchmark.id}: a benchmark that failed to run`, ok: false, markdown: `FAIL: ${error instanceof Error ? error.message : String(error)}` };
    }
    sections.push({ ...section, id: benchmark.id, measuredAt, ms: performance.now() - benchmarkStartedAt });
  }

  const totalMs = performance.now() - startedAt;
  const kept = keptSections(existsSync(resultsPath) ? readFileSync(resultsPath, 'utf8') : '', selected);
  writeFileSync(resultsPath, renderResults(machine, sections, kept, totalMs));
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
    // The box may be shared: a load average well above 0 at the start means other work competed for the cores.
    `Load average at start (1, 5, 15 min): ${os.loadavg().map((load) => load.toFixed(2)).join(', ')}`,
    `PostgreSQL: ${await postgresVersion(postgresUrl)}`,
  ];
}

function selectBenchmarks(only) {
  if (!only) return benchmarks.filter((benchmark) => !benchmark.onlyWhenNamed);
  const ids = only.split(',').map((id) => id.trim()).filter((id) => id !== '');
  const unknown = ids.filter((id) => !benchmarks.some((benchmark) => benchmark.id === id));
  if (unknown.length > 0 || ids.length === 0) throw new Error(`BENCH_ONLY: unknown benchmark "${unknown.join(', ') || only}" (known: ${benchmarks.map((benchmark) => benchmark.id).join(', ')})`);
  return benchmarks.filter((benchmark) => ids.includes(benchmark.id));
}

const startMarker = (id) => `<!-- bench:${id} -->`;
const endMarker = (id) => `<!-- /bench:${id} -->`;

/**
 * The sections of the benchmarks not run this time, from the RESULTS.md already there: id → text
 * (heading included). Between markers when the file has them; in a file from before the markers,
 * from its heading to the next one, dated with that file's "Date:" line.
 */
function keptSections(previous, selected) {
  const kept = new Map();
  for (const benchmark of benchmarks) {
    if (selected.includes(benchmark)) continue;
    const start = previous.indexOf(startMarker(benchmark.id));
    const end = previous.indexOf(endMarker(benchmark.id));
    if (start !== -1 && end > start) {
      kept.set(benchmark.id, previous.slice(start + startMarker(benchmark.id).length, end).trim());
      continue;
    }
    const lines = previous.split('\n');
    const first = lines.findIndex((line) => benchmark.heading.test(line));
    if (first === -1) continue;
    const next = lines.findIndex((line, index) => index > first && line.startsWith('## '));
    const body = lines.slice(first + 1, next === -1 ? undefined : next).join('\n').trim();
    const date = /^- Date: (.+)$/m.exec(previous)?.[1];
    const wholeRun = /^- Whole run: (.+)$/m.exec(previous)?.[1];
    const dated = date ? `_Measured ${date}${wholeRun ? ` (that run took ${wholeRun})` : ''}._` : '_Measured by an earlier run._';
    kept.set(benchmark.id, [lines[first], '', dated, '', body].join('\n'));
  }
  return kept;
}

function renderResults(machine, sections, kept, totalMs) {
  const ran = sections.map((section) => section.id);
  const byId = new Map(sections.map((section) => [section.id, [`## ${section.title}`, '', `_Measured ${section.measuredAt}, in ${formatDuration(section.ms)}._`, '', section.markdown].join('\n')]));
  for (const [id, text] of kept) byId.set(id, text);
  return [
    '# Greenlight benchmarks',
    '',
    'Reproduce with `npm run bench` (builds, then runs `node --expose-gc bench/run.js`). PostgreSQL comes from `GREENLIGHT_BENCH_POSTGRES_URL` ' +
      '(default `postgres://postgres@127.0.0.1:5432/postgres`; the benchmarks create and drop their own databases); `BENCH_IMPORT_ROWS` sets the size of the import; ' +
      '`BENCH_WEBHOOK_SECONDS` (default 20) and `BENCH_WEBHOOK_CONCURRENCY` (default 32) the length and the connections of each webhook scenario; ' +
      '`BENCH_DISPATCH_PLAN_ROWS` (default 1,000,000) the recipients planned, `BENCH_DISPATCH_MESSAGES` (default 200,000) and `BENCH_DISPATCH_SENDERS` (default 4) the messages dispatched and their senders, ' +
      '`BENCH_DISPATCH_MAX_SECONDS` (default 60) the longest a dispatch may run, `BENCH_DISPATCH_BATCH_SIZE`, `BENCH_DISPATCH_LANES` and `BENCH_DISPATCH_CONNECTIONS` the dispatcher\'s batches, lanes and connection pool, `BENCH_DISPATCH_ENGINES` one engine only; ' +
      '`npm run bench:load` runs the two load benchmarks only: `BENCH_LOAD_SEND_RATE` and `BENCH_LOAD_SECONDS` the webhook load, `BENCH_SOAK_RECIPIENTS` (default 1,000,000), `BENCH_SOAK_SENDERS` (default 3), `BENCH_SOAK_WORKERS` (default 1), `BENCH_SOAK_MAX_SECONDS` (default 780), `BENCH_SOAK_LANES` and `BENCH_SOAK_BATCH_SIZE` the soak; ' +
      `\`BENCH_ONLY=${benchmarks.map((benchmark) => benchmark.id).join('|')}\` runs one benchmark and keeps the other sections as they were.`,
    'This file is written by bench/run.js: edit the benchmarks, not this file.',
    '',
    ...machine.map((line) => `- ${line}`),
    `- Whole run: ${formatDuration(totalMs)} (${ran.length === benchmarks.length ? 'all benchmarks' : `only ${ran.join(', ')}; the other sections come from earlier runs, dated in each`})`,
    '',
    ...benchmarks.filter((benchmark) => byId.has(benchmark.id)).flatMap((benchmark) => [startMarker(benchmark.id), byId.get(benchmark.id), endMarker(benchmark.id), '']),
  ].join('\n');
}

process.exitCode = await main();
