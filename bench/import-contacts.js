// The import benchmark: "importing a 1,000,000-row CSV stays under 300 MB of heap growth and finishes".
// Generates the CSV, imports it with the real action into PGlite and PostgreSQL (each in its own
// process, see lib/import-contacts-worker.js) and returns its RESULTS.md section.

import { fork } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { checkPatterns, writeContactsCsv } from './lib/contacts-csv.js';
import { formatDuration, formatInt, formatMB, MB } from './lib/measure.js';
import { escapeCell } from './lib/bench-env.js';

const heapLimitBytes = 300 * MB;
const seed = 20_240_301;
const workerPath = new URL('./lib/import-contacts-worker.js', import.meta.url);
const allEngines = ['pglite', 'postgres'];

/** context: { benchDir, tmpDir, postgresUrl, env }. Returns { title, markdown, ok }. */
export async function run(context) {
  const rows = Number(context.env.BENCH_IMPORT_ROWS ?? 1_000_000);
  if (!Number.isInteger(rows) || rows < 1) throw new Error(`BENCH_IMPORT_ROWS must be a positive integer, got "${context.env.BENCH_IMPORT_ROWS}"`);
  // BENCH_IMPORT_ENGINES=postgres runs one engine only, for a quicker look while working on one of them.
  const engines = context.env.BENCH_IMPORT_ENGINES ? context.env.BENCH_IMPORT_ENGINES.split(',').map((name) => name.trim()) : allEngines;
  const unknown = engines.filter((name) => !allEngines.includes(name));
  if (unknown.length > 0) throw new Error(`BENCH_IMPORT_ENGINES: unknown engine ${unknown.join(', ')} (known: ${allEngines.join(', ')})`);
  const title = `Contacts CSV import (${formatInt(rows)} rows)`;
  console.log(`\n== ${title}`);

  const checked = checkPatterns();
  console.log(`  phone patterns: ${formatInt(checked)} samples agree with normalizePhone`);
  mkdirSync(context.tmpDir, { recursive: true });
  const file = join(context.tmpDir, `contacts-${rows}.csv`);
  const generationStartedAt = performance.now();
  const expected = await writeContactsCsv(file, rows, seed);
  const generationMs = performance.now() - generationStartedAt;
  console.log(`  wrote ${relative(context.benchDir, file)}: ${formatMB(expected.bytes)}, ${formatInt(expected.rejected)} bad rows, in ${formatDuration(generationMs)}`);

  const reports = [];
  for (const engine of engines) {
    console.log(`  ${engine}: importing…`);
    const startedAt = performance.now();
    const report = await runWorker({ engine, file, fileName: `contacts-${rows}.csv`, expected, heapLimitBytes, tmpDir: context.tmpDir, postgresUrl: context.postgresUrl });
    report.totalMs = performance.now() - startedAt;
    console.log(`  ${engine}: ${resultText(report)} (${formatDuration(report.totalMs)} including setup and checks)`);
    reports.push(report);
  }
  const ok = reports.every((report) => !report.error && (report.skipped || report.passes.every((pass) => pass.problems.length === 0)));
  return { title, ok, markdown: renderSection({ rows, expected, generationMs, reports }) };
}

/** Runs one engine in a child process; a worker that dies (out of memory, say) is a failed result, not a crash. */
function runWorker(task) {
  return new Promise((resolve) => {
    // The child inherits this process's flags (--expose-gc, and --cpu-prof when profiling).
    const execArgv = process.execArgv.includes('--expose-gc') ? process.execArgv : [...process.execArgv, '--expose-gc'];
    const child = fork(workerPath, [], { execArgv });
    let report = null;
    child.on('message', (message) => {
      report = message;
    });
    child.on('error', (error) => {
      report ??= { engine: task.engine, error: error.message };
    });
    child.on('exit', (code, signal) => {
      resolve(report ?? { engine: task.engine, error: `the worker exited (${signal ?? `code ${code}`}) before reporting` });
    });
    child.send(task);
  });
}

function resultText(report) {
  if (report.error) return `FAIL: ${report.error.split('\n')[0]}`;
  if (report.skipped) return report.skipped;
  const problems = report.passes.flatMap((pass) => pass.problems.map((problem) => `${pass.pass}: ${problem}`));
  return problems.length === 0 ? 'PASS' : `FAIL: ${problems.join('; ')}`;
}

const engineLabels = { pglite: 'PGlite', postgres: 'PostgreSQL' };

function renderSection({ rows, expected, generationMs, reports }) {
  const lines = [
    `Requirement: importing a 1,000,000-row CSV finishes with less than ${formatMB(heapLimitBytes)} of heap growth${rows === 1_000_000 ? '' : ` (this run: ${formatInt(rows)} rows, set by BENCH_IMPORT_ROWS)`}.`,
    `The CSV (${formatMB(expected.bytes)}, seed ${seed}, generated in ${formatDuration(generationMs)}) has valid, unique mobile numbers from Brazil, India, Mexico, Nigeria, Germany and Spain in four formats, ` +
      `plus ${formatInt(expected.rejected)} bad rows (${Object.entries(expected.rejectedByReason).map(([reason, count]) => `${formatInt(count)} ${reason}`).join(', ')}).`,
    'Each engine runs in its own Node process; each pass goes through `importContacts` (one transaction) and is checked against what the generator wrote: ' +
      'the summary counts, `count(*)` of contacts and consent events, and, for the re-import, that every good row is `unchanged`.',
    '',
    '| engine | pass | rows | wall time | rows/s | heap growth peak | external peak | RSS peak | result |',
    '|---|---|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const report of reports) {
    const label = engineLabels[report.engine] ?? report.engine;
    if (report.error || report.skipped) {
      lines.push(`| ${label} | – | ${formatInt(rows)} | – | – | – | – | – | ${escapeCell(resultText(report))} |`);
      continue;
    }
    for (const pass of report.passes) {
      const result = pass.problems.length === 0 ? 'PASS' : `FAIL: ${pass.problems.join('; ')}`;
      lines.push(
        `| ${label} | ${pass.pass} | ${formatInt(pass.summary.rows)} | ${formatDuration(pass.wallMs)} | ${formatInt(pass.rowsPerSecond)} | ` +
          `${formatMB(pass.memory.heapGrowth)} | ${formatMB(pass.memory.peak.external)} | ${formatMB(pass.memory.peak.rss)} | ${escapeCell(result)} |`,
      );
    }
  }
  lines.push('', 'Where the time goes (time inside SQL statements, as seen from Node, against everything else: reading, parsing, validating, building the batches):', '');
  for (const report of reports) {
    if (!report.passes) continue;
    for (const pass of report.passes) {
      const share = pass.sqlMs / pass.wallMs;
      lines.push(
        `- ${engineLabels[report.engine]}, ${pass.pass}: ${formatDuration(pass.sqlMs)} in ${formatInt(pass.statements)} statements (${(share * 100).toFixed(0)}%: ` +
          `${Object.entries(pass.sqlMsByStatement).map(([kind, ms]) => `${formatDuration(ms)} \`${kind}\``).join(', ')}), ` +
          `${formatDuration(pass.wallMs - pass.sqlMs)} elsewhere; ${formatInt(pass.summary.created)} created, ${formatInt(pass.summary.unchanged)} unchanged, ` +
          `${formatInt(pass.summary.rejected)} rejected, ${formatInt(pass.summary.consentEventsRecorded)} consent events; ` +
          `live heap growth ${pass.live === null ? 'not measured' : `${formatMB(pass.live.heapGrowth)} at row ${formatInt(pass.live.rows)}`}; ` +
          `before the pass: heap ${formatMB(pass.memory.baseline.heapUsed)}, external ${formatMB(pass.memory.baseline.external)}, RSS ${formatMB(pass.memory.baseline.rss)}.`,
      );
    }
  }
  lines.push(
    '',
    'How to read the memory columns: *heap growth peak* is the largest `heapUsed` seen (sampled every 100 ms and after every batch) minus `heapUsed` after forced gcs just before the pass — the figure the requirement bounds. ' +
      'It counts garbage V8 has not collected yet, so it is an upper bound that moves with V8\'s gc timing; the *live heap growth* (after one forced gc 90% of the way through, while the import holds its duplicate detector and rejections) is what the import really keeps. ' +
      "*External peak* is memory outside the JS heap owned by JS objects; for PGlite it includes the WASM instance's linear memory (the embedded Postgres's own buffers and caches), which is not JS heap but is real memory. " +
      '*RSS peak* is the whole Node process as the OS sees it (heap, external, code, WASM); for PostgreSQL it leaves out the server, which runs in its own processes.',
  );
  return lines.join('\n');
}
