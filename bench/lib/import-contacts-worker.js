// Child process of the import benchmark: imports the CSV into one engine twice (first import, then the
// idempotent re-import), checks the database against what the generator wrote, and reports the figures
// over IPC. One process per engine, so one engine's heap and RSS peaks never show up in the other's.

import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { importContacts } from '../../dist/actions/import-contacts.js';
import { migrate } from '../../dist/store/migrate.js';
import { formatInt, formatMB, newStatementStats, startMemorySampler, timedDb } from './measure.js';
import { openBenchDatabase } from './postgres.js';

const benchDatabase = 'greenlight_bench';
const clock = { now: () => new Date() };

process.once('message', (task) => {
  runTask(task).then(
    (report) => process.send(report, () => process.exit(0)),
    (error) => process.send({ engine: task.engine, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }, () => process.exit(1)),
  );
});

/**
 * task: { engine: 'pglite' | 'postgres', file, fileName, expected (from writeContactsCsv),
 * heapLimitBytes, tmpDir, postgresUrl }.
 */
async function runTask(task) {
  const engine = await openEngine(task);
  if (engine.skipped) return { engine: task.engine, skipped: engine.skipped };
  try {
    const passes = [];
    for (const pass of ['first import', 're-import']) {
      const measured = await measurePass(engine.db, task, pass);
      measured.problems.push(...(await checkDatabase(engine.db, task.expected, measured.summary, pass)));
      passes.push(measured);
    }
    return { engine: task.engine, passes };
  } finally {
    await engine.close();
  }
}

async function measurePass(db, task, pass) {
  const stats = newStatementStats();
  const step = Math.min(100_000, Math.max(1_000, Math.ceil(task.expected.rows / 10)));
  let nextReport = step;
  const sampler = await startMemorySampler(100);
  const liveCheckAt = Math.ceil(task.expected.rows * 0.9);
  let live = null;
  const startedAt = performance.now();
  const summary = await importContacts({ db: timedDb(db, stats), clock }, createReadStream(task.file), {
    fileName: task.fileName,
    onProgress: ({ rowsRead }) => {
      // Sampling here as well catches the heap at its fullest: just after a batch was built and written.
      const memory = sampler.sample();
      if (live === null && rowsRead >= liveCheckAt) {
        // One forced gc tells live memory (the duplicate detector, the rejections) from garbage not
        // yet collected. Not at the very end: once the read loop is done, V8 already frees the
        // detector, because the suspended async function no longer keeps dead locals.
        global.gc();
        live = { rows: rowsRead, heapGrowth: process.memoryUsage().heapUsed - sampler.baseline.heapUsed };
      }
      if (rowsRead < nextReport) return;
      nextReport += step;
      const seconds = (performance.now() - startedAt) / 1000;
      console.log(`  [${task.engine}] ${pass}: ${formatInt(rowsRead)} rows, ${seconds.toFixed(1)} s, ${formatInt(rowsRead / seconds)} rows/s, heap ${formatMB(memory.heapUsed)}, RSS ${formatMB(memory.rss)}`);
    },
  });
  const wallMs = performance.now() - startedAt;
  const memory = sampler.stop();
  const problems = [];
  if (memory.heapGrowth >= task.heapLimitBytes) problems.push(`heap growth ${formatMB(memory.heapGrowth)} ≥ ${formatMB(task.heapLimitBytes)}`);
  const { rejections: _rejections, ...counts } = summary; // the per-row list is long and says nothing a count doesn't
  return { pass, summary: counts, wallMs, rowsPerSecond: summary.rows / (wallMs / 1000), sqlMs: stats.ms, statements: stats.statements, sqlMsByStatement: stats.byStatement, memory, live, problems };
}

/** The counts the import reported, and what is in the database, against what the generator wrote. */
async function checkDatabase(db, expected, summary, pass) {
  const first = pass === 'first import';
  const [{ contacts, events }] = await db.query('select (select count(*) from contacts) as contacts, (select count(*) from consent_events) as events');
  const checks = [
    ['rows', summary.rows, expected.rows],
    ['rejected', summary.rejected, expected.rejected],
    ['rejected by reason', JSON.stringify(sortKeys(summary.rejectedByReason)), JSON.stringify(sortKeys(expected.rejectedByReason))],
    ['created', summary.created, first ? expected.created : 0],
    ['updated', summary.updated, 0],
    ['unchanged', summary.unchanged, first ? 0 : expected.created],
    ['consent events recorded', summary.consentEventsRecorded, first ? expected.consentEvents : 0],
    ['count(*) from contacts', contacts, expected.created],
    ['count(*) from consent_events', events, expected.consentEvents],
  ];
  if (first) checks.push(['count(*) from contacts vs summary.created', contacts, summary.created]);
  return checks.filter(([, actual, wanted]) => actual !== wanted).map(([what, actual, wanted]) => `${what}: ${actual}, expected ${wanted}`);
}

function sortKeys(record) {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

/** A fresh database for this engine: { db, close } or { skipped: reason }. */
async function openEngine(task) {
  const engine = await openBenchDatabase({ engine: task.engine, dir: join(task.tmpDir, 'pglite-import'), name: benchDatabase, postgresUrl: task.postgresUrl });
  if (engine.db) await migrate(engine.db);
  return engine;
}
